import type { Entity } from '@backstage/catalog-model';

/**
 * Every annotation the Fleet Monitoring plugins read, in one place.
 * Our own keys share the `fleet-monitoring.io/` prefix; the ArgoCD and Kubernetes keys are the ones
 * the community plugins already use, so entities annotated for those work with ours unchanged.
 */
export const ANNOTATION_PREFIX = 'fleet-monitoring.io';

/**
 * Value of the `cluster` external label that the cluster's Prometheus agent sets (Resource entities).
 *
 * @public
 */
export const CLUSTER_ANNOTATION = `${ANNOTATION_PREFIX}/cluster`;
/** Name of the configured Thanos Query instance to ask; the first configured one when absent. */
export const THANOS_INSTANCE_ANNOTATION = `${ANNOTATION_PREFIX}/thanos-instance`;
/**
 * `receive` or `query`: which Thanos component a Component entity is.
 *
 * @public
 */
export const THANOS_COMPONENT_ANNOTATION = `${ANNOTATION_PREFIX}/thanos-component`;
/**
 * PromQL label matchers picking the Thanos component's own series, e.g. `job="thanos-receive"`.
 *
 * @public
 */
export const THANOS_SELECTOR_ANNOTATION = `${ANNOTATION_PREFIX}/thanos-selector`;
/**
 * PromQL label matchers picking a service's series for "are its metrics arriving?", e.g. `job="checkout"`.
 *
 * @public
 */
export const METRICS_SELECTOR_ANNOTATION = `${ANNOTATION_PREFIX}/metrics-selector`;
/**
 * `"true"` on a central cluster's entity whose edge write entry point was scaffolded without
 * authentication (`auth: none`, an explicit choice), so its card can flag the open endpoint.
 *
 * @public
 */
export const OPEN_WRITE_ENDPOINT_ANNOTATION = `${ANNOTATION_PREFIX}/open-write-endpoint`;

/**
 * ArgoCD plugin compatible annotations.
 *
 * @public
 */
export const ARGOCD_APP_NAME_ANNOTATION = 'argocd/app-name';
/** @public */
export const ARGOCD_APP_SELECTOR_ANNOTATION = 'argocd/app-selector';
/** @public */
export const ARGOCD_INSTANCE_NAME_ANNOTATION = 'argocd/instance-name';
export const ARGOCD_APP_NAMESPACE_ANNOTATION = 'argocd/app-namespace';
export const ARGOCD_PROJECT_NAME_ANNOTATION = 'argocd/project-name';

/**
 * Kubernetes plugin compatible annotations.
 *
 * @public
 */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/** @public */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';

function annotation(entity: Entity, key: string): string | undefined {
  const value = entity.metadata.annotations?.[key];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** @public */
export const clusterFromEntity = (entity: Entity) =>
  annotation(entity, CLUSTER_ANNOTATION);
/** @public */
export const thanosInstanceFromEntity = (entity: Entity) =>
  annotation(entity, THANOS_INSTANCE_ANNOTATION);
/** @public */
export const metricsSelectorFromEntity = (entity: Entity) =>
  annotation(entity, METRICS_SELECTOR_ANNOTATION);
/** @public */
export const thanosSelectorFromEntity = (entity: Entity) =>
  annotation(entity, THANOS_SELECTOR_ANNOTATION);

/** @public */
export type ThanosComponentKind = 'receive' | 'query';
/** @public */
export function thanosComponentFromEntity(
  entity: Entity,
): ThanosComponentKind | undefined {
  const v = annotation(entity, THANOS_COMPONENT_ANNOTATION);
  return v === 'receive' || v === 'query' ? v : undefined;
}

/**
 * The remote-write card applies: the entity names its cluster.
 *
 * @public
 */
export const isRemoteWriteAvailable = (entity: Entity) =>
  Boolean(clusterFromEntity(entity));
/**
 * The Thanos card applies: the entity says which Thanos component it is.
 *
 * @public
 */
export const isThanosAvailable = (entity: Entity) =>
  Boolean(thanosComponentFromEntity(entity));
/**
 * The "metrics arriving" card applies: the entity gives the selector of its series.
 *
 * @public
 */
export const isMetricsArrivingAvailable = (entity: Entity) =>
  Boolean(metricsSelectorFromEntity(entity));
/**
 * The ArgoCD card applies: the entity names its app or an app selector.
 *
 * @public
 */
export const isArgocdAvailable = (entity: Entity) =>
  Boolean(
    annotation(entity, ARGOCD_APP_NAME_ANNOTATION) ||
    annotation(entity, ARGOCD_APP_SELECTOR_ANNOTATION),
  );
/**
 * The Kubernetes workload view applies.
 *
 * @public
 */
export const isKubernetesAvailable = (entity: Entity) =>
  Boolean(clusterFromEntity(entity) && thanosComponentFromEntity(entity)) ||
  Boolean(
    clusterFromEntity(entity) && annotation(entity, KUBERNETES_ID_ANNOTATION),
  );
