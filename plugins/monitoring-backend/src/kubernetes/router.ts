import type { EntityAccess } from '../core/entityAccess';
import { kubernetesQuestion } from '../core/entityQuestions';
import { ENTITY_PATH, FleetMonitoringRouter } from '../core/routing';
import type { KubernetesService } from './KubernetesService';

/** GET /entity/:kind/:namespace/:name/kubernetes for cluster and Thanos entities. */
export function addKubernetesRoutes(
  router: FleetMonitoringRouter,
  options: { access: EntityAccess; kubernetes: KubernetesService },
): void {
  const { access, kubernetes } = options;
  router.get(`${ENTITY_PATH}/kubernetes`, async (req, res) => {
    const { cluster, namespace } = kubernetesQuestion(
      await access.readEntity(req),
    );
    res.json(await kubernetes.clusterView(cluster, namespace));
  });
}
