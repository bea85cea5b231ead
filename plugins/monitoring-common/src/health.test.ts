import {
  countStates,
  REASON_IDS,
  REASONS,
  reasonDocsPath,
  rollUpStates,
  STATE_ORDER,
  stateFromReasons,
  worstState,
} from './health';
import * as annotations from './annotations';

describe('health model', () => {
  it('orders states from healthy to failing', () => {
    expect(worstState('healthy', 'degraded')).toBe('degraded');
    expect(worstState('failing', 'degraded')).toBe('failing');
    expect(worstState('no-data', 'unknown')).toBe('no-data');
    expect(worstState('recovering', 'healthy')).toBe('recovering');
    expect(worstState('recovering', 'degraded')).toBe('degraded');
  });

  it('rolls up and counts with the one state order', () => {
    expect(rollUpStates([])).toBe('healthy');
    expect(rollUpStates(['healthy', 'recovering', 'no-data'])).toBe('no-data');
    const counts = countStates(['failing', 'failing', 'recovering']);
    expect(Object.keys(counts)).toEqual([...STATE_ORDER]);
    expect(counts).toMatchObject({ failing: 2, recovering: 1, healthy: 0 });
  });

  it('derives the state from reason severities', () => {
    expect(stateFromReasons([])).toBe('healthy');
    expect(
      stateFromReasons([
        { id: 'remote-write-retrying', severity: 'warning', message: '' },
      ]),
    ).toBe('degraded');
    expect(
      stateFromReasons([
        { id: 'remote-write-retrying', severity: 'warning', message: '' },
        { id: 'remote-write-failing', severity: 'critical', message: '' },
      ]),
    ).toBe('failing');
    expect(
      stateFromReasons([
        { id: 'query-not-thanos', severity: 'info', message: '' },
      ]),
    ).toBe('healthy');
  });

  it('gives every reason a stable, anchor-safe id and a troubleshooting page', () => {
    for (const id of REASON_IDS) {
      expect(id).toMatch(/^[a-z0-9-]+$/);
      expect(REASONS[id].page).toMatch(/^troubleshooting\/[a-z-]+$/);
      expect(reasonDocsPath(id)).toBe(`${REASONS[id].page}/#${id}`);
    }
  });
});

describe('annotations', () => {
  const entity = (a: Record<string, string>) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'x', annotations: a },
  });

  it('detects which cards apply', () => {
    expect(
      annotations.isRemoteWriteAvailable(
        entity({ [annotations.CLUSTER_ANNOTATION]: 'edge-1' }),
      ),
    ).toBe(true);
    expect(
      annotations.isRemoteWriteAvailable(
        entity({ [annotations.CLUSTER_ANNOTATION]: '  ' }),
      ),
    ).toBe(false);
    expect(
      annotations.isThanosAvailable(
        entity({ [annotations.THANOS_COMPONENT_ANNOTATION]: 'receive' }),
      ),
    ).toBe(true);
    expect(
      annotations.isThanosAvailable(
        entity({ [annotations.THANOS_COMPONENT_ANNOTATION]: 'store' }),
      ),
    ).toBe(false);
    expect(
      annotations.isArgocdAvailable(entity({ 'argocd/app-selector': 'a%3Db' })),
    ).toBe(true);
    expect(annotations.isMetricsArrivingAvailable(entity({}))).toBe(false);
  });
});
