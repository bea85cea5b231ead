/**
 * Kubernetes view of a cluster (GET /entity/:kind/:namespace/:name/kubernetes): Thanos Receive and
 * Prometheus agent pods, and the receive hashring compared with the live receive pods.
 */

/** FAQ Q4, "Thanos Receiver is OOMKilled": the fixes, in the order to try them. */
export const OOM_KILLED_HINTS = [
  'Raise the memory limit (e.g. 2Gi -> 4Gi).',
  'Rate-limit remote write from the agents.',
  'Add Receiver replicas and add them to the hashring.',
  'Drop unneeded metrics by relabelling before remote write.',
] as const;
