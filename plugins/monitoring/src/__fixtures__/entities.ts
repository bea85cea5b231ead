import type { Entity } from '@backstage/catalog-model';

export const clusterEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'cluster-02-edge',
    namespace: 'default',
    annotations: {
      'fleet-monitoring.io/cluster': 'cluster-02-edge',
      'argocd/app-selector': 'fleet-monitoring.io/cluster=cluster-02-edge',
      'argocd/instance-name': 'demo',
    },
  },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/platform-team' },
};

export const receiveEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'thanos-receive',
    namespace: 'default',
    annotations: {
      'fleet-monitoring.io/thanos-component': 'receive',
      'fleet-monitoring.io/thanos-selector': 'job="thanos-receive"',
      // As in catalog-info.yaml: the receivers run in the central cluster (Kubernetes card).
      'fleet-monitoring.io/cluster': 'cluster-01-central',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/platform-team',
  },
};

export const queryEntity: Entity = {
  ...receiveEntity,
  metadata: {
    name: 'thanos-query',
    namespace: 'default',
    annotations: { 'fleet-monitoring.io/thanos-component': 'query' },
  },
};

export const serviceEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'shop',
    annotations: {
      'fleet-monitoring.io/metrics-selector': 'job="checkout",namespace="shop"',
      'argocd/app-name': 'checkout',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/shop-team',
  },
};

export const bareEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plain', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/shop-team',
  },
};
