import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  argocdQuestion,
  clusterQuestion,
  metricsArrivingQuestion,
  thanosQuestion,
} from './entityQuestions';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'x', annotations },
    spec: {},
  };
}

describe('entity questions', () => {
  it('gives the validated cluster', () => {
    expect(
      clusterQuestion(
        entity({ 'fleet-monitoring.io/cluster': 'cluster-02-edge' }),
      ),
    ).toBe('cluster-02-edge');
  });

  it.each([
    ['a bidi control', '\u202ecluster-02-edge\u202c', /U\+202E/],
    ['an invisible character', 'cluster-02\u200b-edge', /U\+200B/],
    ['a look-alike letter', 'cluster-02-\u0435dge', /looks like a Latin/],
  ])('refuses a cluster name with %s, naming the annotation', (_, v, re) => {
    const call = () =>
      clusterQuestion(entity({ 'fleet-monitoring.io/cluster': v }));
    expect(call).toThrow(InputError);
    expect(call).toThrow(/fleet-monitoring\.io\/cluster/);
    expect(call).toThrow(re);
  });

  it('refuses hidden characters in every annotation a question reads', () => {
    expect(() =>
      metricsArrivingQuestion(
        entity({
          'fleet-monitoring.io/metrics-selector': 'job="check\u2066out"',
        }),
      ),
    ).toThrow(/metrics-selector contains the bidirectional/);
    expect(() =>
      thanosQuestion(
        entity({
          'fleet-monitoring.io/thanos-component': 'receive',
          'fleet-monitoring.io/thanos-instance': 'prod\u200d',
        }),
      ),
    ).toThrow(/thanos-instance contains the invisible/);
    expect(() =>
      argocdQuestion(entity({ 'argocd/app-name': 'app\u202e' })),
    ).toThrow(/argocd\/app-name/);
  });

  it('leaves annotations of other tools alone', () => {
    expect(
      clusterQuestion(
        entity({
          'fleet-monitoring.io/cluster': 'cluster-02-edge',
          'example.com/note': 'right-to-left \u202e text',
        }),
      ),
    ).toBe('cluster-02-edge');
  });
});
