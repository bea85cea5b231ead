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

describe('metrics selectors narrow, never widen', () => {
  const ask = (v: string) =>
    metricsArrivingQuestion(
      entity({ 'fleet-monitoring.io/metrics-selector': v }),
    );

  it('accepts a selector that pins a label', () => {
    expect(ask('job="checkout",namespace=~"shop|cart"').selector).toHaveLength(
      2,
    );
    expect(ask('__name__="up",job="checkout"').selector).toHaveLength(2);
  });

  it.each([
    ['__name__=~".+"', /only with "="/],
    ['__name__!="up",job="checkout"', /only with "="/],
    // Prometheus itself refuses selectors whose every matcher matches the empty string.
    ['app!=""', /not a valid label selector/],
    ['job=~".+"', /pin at least one label/],
    ['job!~"a|b",namespace!="x"', /not a valid label selector/],
    ['job!="a",namespace=~"s.*"', /pin at least one label/],
  ])('refuses %s with a 400 naming the rule', (v, re) => {
    expect(() => ask(v)).toThrow(InputError);
    expect(() => ask(v)).toThrow(re);
    expect(() => ask(v)).toThrow(/fleet-monitoring\.io\/metrics-selector/);
  });
});
