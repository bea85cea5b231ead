import { InputError } from '@backstage/errors';
import {
  CLUSTER_ANNOTATION,
  clusterFromEntity,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { FleetMonitoringRouter } from '../router';
import type { EntityAccess } from '../service/entityAccess';
import type { KubernetesService } from './KubernetesService';

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** GET /entity/:kind/:namespace/:name/kubernetes for cluster and Thanos entities. */
export function addKubernetesRoutes(
  router: FleetMonitoringRouter,
  options: { access: EntityAccess; kubernetes: KubernetesService },
): void {
  const { access, kubernetes } = options;
  router.get('/entity/:kind/:namespace/:name/kubernetes', async (req, res) => {
    const entity = await access.readEntity(req);
    const cluster = clusterFromEntity(entity);
    if (!cluster) {
      throw new InputError(
        `Entity has no ${CLUSTER_ANNOTATION} annotation; add e.g. "${CLUSTER_ANNOTATION}: cluster-02-edge"`,
      );
    }
    const ns =
      entity.metadata.annotations?.[KUBERNETES_NAMESPACE_ANNOTATION]?.trim() ||
      undefined;
    if (ns && !NAMESPACE.test(ns))
      throw new InputError(
        `Annotation ${KUBERNETES_NAMESPACE_ANNOTATION} "${ns}" is not a namespace name`,
      );
    res.json(await kubernetes.clusterView(cluster, ns));
  });
}
