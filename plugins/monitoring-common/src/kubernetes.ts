/**
 * Kubernetes view of a cluster (GET /entity/:kind/:namespace/:name/kubernetes): Thanos Receive and
 * Prometheus agent pods, and the receive hashring compared with the live receive pods.
 */

/**
 * FAQ Q4, "Thanos Receiver is OOMKilled": the fixes, in the order to try them.
 *
 * @public
 */
export const OOM_KILLED_HINTS = [
  'Raise the memory limit (e.g. 2Gi -> 4Gi).',
  'Rate-limit remote write from the agents.',
  'Add Receiver replicas and add them to the hashring.',
  'Drop unneeded metrics by relabelling before remote write.',
] as const;

/**
 * A container whose memory working set (metrics.k8s.io usage) is at or above this share of its
 * memory limit is flagged (`pod-memory-near-limit`): the kernel OOM-kills it when its memory reaches
 * the limit and nothing more can be reclaimed. A constant rather than a config key (the backend flags and the card colours usage with the
 * same value); at 90 % a growing receiver has little headroom left before the next OOMKill.
 *
 * @public
 */
export const MEMORY_NEAR_LIMIT_RATIO = 0.9;
