import { catalogInfoSnippet } from './catalogSnippet';
import { overlayFacts, sameVersion } from './overlayFacts';
import { hashringOfTenant, hashringRouter, namedTenants } from './routing';

describe('hashringOfTenant (Thanos multiHashring order)', () => {
  const edges = { hashring: 'edges', tenants: ['a', 'b'], endpoints: ['x'] };
  const globs = {
    hashring: 'teams',
    tenants: ['team-*'],
    tenant_matcher_type: 'glob' as const,
    endpoints: ['y'],
  };
  const fallback = { hashring: 'default', endpoints: ['z'] };

  it('routes by the first hashring that matches, in file order', () => {
    expect(hashringOfTenant([edges, globs, fallback], 'b')).toBe('edges');
    expect(hashringOfTenant([edges, globs, fallback], 'team-x')).toBe('teams');
    expect(hashringOfTenant([edges, globs, fallback], 'c')).toBe('default');
    // A default hashring first takes every tenant, also those named later.
    expect(hashringOfTenant([fallback, edges], 'a')).toBe('default');
  });

  it('routes nothing when no hashring matches and none is a default', () => {
    expect(hashringOfTenant([edges, globs], 'c')).toBeUndefined();
    // A glob does not cross a path separator (filepath.Match).
    expect(hashringOfTenant([globs], 'team-a/b')).toBeUndefined();
    // An exact matcher is not a glob.
    expect(
      hashringOfTenant([{ tenants: ['team-*'], endpoints: [] }], 'team-x'),
    ).toBeUndefined();
  });

  it('a glob hashring before an exact one wins, and a router routes many tenants', () => {
    const named = { hashring: 'named', tenants: ['team-x'], endpoints: [] };
    expect(hashringOfTenant([globs, named], 'team-x')).toBe('teams');
    expect(hashringOfTenant([named, globs], 'team-x')).toBe('named');
    const many = {
      hashring: 'all',
      tenants: Array.from({ length: 10_000 }, (_, i) => `t-${i}`),
      endpoints: [],
    };
    const route = hashringRouter([many]);
    expect(route('t-9999')).toBe('all');
    expect(route('t-10000')).toBeUndefined();
  });

  it('lists the tenants hashrings name exactly', () => {
    expect(namedTenants([edges, globs, fallback])).toEqual(['a', 'b']);
  });
});

describe('overlayFacts', () => {
  const files = {
    'deploy/base/prometheus-agent/kustomization.yaml':
      'helmCharts:\n  - name: prometheus\n    version: 25.11.0\n    valuesFile: values.yaml\n',
    'deploy/base/prometheus-agent/values.yaml': 'server: {}\n',
    'deploy/overlays/edge-1/prometheus-agent/kustomization.yaml':
      'helmCharts:\n  - name: prometheus\n    version: 25.11.0\n    valuesFile: values.yaml\n',
    'deploy/overlays/edge-1/prometheus-agent/values.yaml': [
      'server:',
      '  global:',
      '    external_labels: { cluster: edge-1, region: eu }',
      '  remoteWrite:',
      '    - url: https://r/api/v1/receive',
      '      headers: { thanos-tenant: team-a }',
    ].join('\n'),
    'deploy/overlays/edge-2/prometheus-agent/kustomization.yaml':
      'helmCharts:\n  - name: prometheus\n    version: 26.0.0\n    valuesFile: values.yaml\n',
    'deploy/overlays/edge-2/prometheus-agent/values.yaml':
      'server:\n  image: { tag: v3.1.0 }\n',
    'deploy/overlays/central/kube-prometheus-stack/kustomization.yaml':
      'helmCharts:\n  - name: kube-prometheus-stack\n    version: 58.0.0\n    valuesFile: values.yaml\n',
    'deploy/overlays/central/kube-prometheus-stack/values.yaml':
      'prometheus:\n  prometheusSpec:\n    externalLabels: { cluster: central }\n',
    'deploy/overlays/central/kube-prometheus-stack/hashrings.json':
      '[{"hashring":"default","endpoints":["a:10901"]}]',
  };

  it('reads version, tenant and labels per overlay, and the central hashrings', () => {
    const { overlays, hashrings } = overlayFacts(files);
    expect(overlays).toEqual([
      {
        cluster: 'central',
        component: 'kube-prometheus-stack',
        path: 'deploy/overlays/central/kube-prometheus-stack',
        role: 'central',
        chartVersion: '58.0.0',
        externalLabels: { cluster: 'central' },
      },
      {
        cluster: 'edge-1',
        component: 'prometheus-agent',
        path: 'deploy/overlays/edge-1/prometheus-agent',
        role: 'edge',
        chartVersion: '25.11.0',
        // The chart's own Prometheus: the overlay pins no image.
        agentVersion: 'v2.49.1',
        // The header name is case-insensitive (HTTP).
        tenant: 'team-a',
        externalLabels: { cluster: 'edge-1', region: 'eu' },
      },
      {
        cluster: 'edge-2',
        component: 'prometheus-agent',
        path: 'deploy/overlays/edge-2/prometheus-agent',
        role: 'edge',
        chartVersion: '26.0.0',
        agentVersion: 'v3.1.0',
        externalLabels: {},
      },
    ]);
    expect(hashrings).toEqual([
      {
        cluster: 'central',
        path: 'deploy/overlays/central/kube-prometheus-stack/hashrings.json',
        hashrings: [{ hashring: 'default', endpoints: ['a:10901'] }],
      },
    ]);
  });

  it('compares versions with or without the v', () => {
    expect(sameVersion('v2.49.1', '2.49.1')).toBe(true);
    expect(sameVersion('v2.49.1', '2.42.0')).toBe(false);
    expect(sameVersion('v2.42.0', '2.42.0+ds')).toBe(true);
    expect(sameVersion('v2.42.0-rc.0', '2.42.0')).toBe(false);
  });
});

describe('catalogInfoSnippet', () => {
  it('writes a Resource carrying the cluster annotation', () => {
    expect(catalogInfoSnippet('edge-7')).toBe(
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Resource',
        'metadata:',
        '  name: edge-7',
        '  annotations:',
        '    fleet-monitoring.io/cluster: "edge-7"',
        'spec:',
        '  type: kubernetes-cluster',
        '  owner: <team>',
        '',
      ].join('\n'),
    );
    // A label value that is no entity name gets a name that is one; the annotation keeps the value.
    expect(catalogInfoSnippet('Edge_7.prod')).toContain(
      '  name: edge-7-prod\n',
    );
    expect(catalogInfoSnippet('Edge_7.prod')).toContain(
      'fleet-monitoring.io/cluster: "Edge_7.prod"',
    );
  });
});
