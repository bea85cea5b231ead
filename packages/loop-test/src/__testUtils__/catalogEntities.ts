/**
 * The catalog entities of the scaffolded fleet, as the new-cluster template's `catalog:write` step
 * writes them (templates/new-cluster/template.yaml: one Resource per cluster, annotated with its
 * `cluster` external label), plus the two Thanos Components of the central. The template writes no
 * Component for Receive or Query; these carry only what the cards need to apply
 * (`fleet-monitoring.io/thanos-component`) and NO `thanos-selector`: the backend's default
 * selectors must find the series the generated ServiceMonitors produce.
 */
import type { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CLUSTER_ANNOTATION,
  THANOS_COMPONENT_ANNOTATION,
} from '@fleet-monitoring/plugin-monitoring-common';
import { CENTRAL, EDGES } from './scaffoldedFleet';

type Entity = NonNullable<
  NonNullable<Parameters<typeof catalogServiceMock.factory>[0]>['entities']
>[number];

const clusterResource = (name: string, role: 'edge' | 'central'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    description: `${role} cluster of the monitoring fleet`,
    labels: { 'fleet-monitoring.io/role': role },
    annotations: { [CLUSTER_ANNOTATION]: name },
  },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/platform-team' },
});

const thanosComponent = (
  name: string,
  component: 'receive' | 'query',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: {
      [THANOS_COMPONENT_ANNOTATION]: component,
      [CLUSTER_ANNOTATION]: CENTRAL,
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/platform-team',
  },
});

export function fleetEntities(): Entity[] {
  return [
    clusterResource(CENTRAL, 'central'),
    ...EDGES.map(e => clusterResource(e, 'edge')),
    thanosComponent('thanos-receive', 'receive'),
    thanosComponent('thanos-query', 'query'),
  ];
}
