import type {
  LoggerService,
  RootLifecycleService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { FleetMonitoringConfig } from '../config';
import { ThanosClient } from '../thanos/ThanosClient';
import type { ThanosInstances } from '../thanos/ThanosInstances';
import type { RemoteWriteService } from './RemoteWriteService';

/** Scheduler task id (one task refreshes every configured instance in turn). */
export const SUMMARY_REFRESH_TASK = 'fleet-monitoring-summary-refresh';

/**
 * Keeps every Thanos instance's fleet summary warm (`fleetMonitoring.summaryRefresh`), once per
 * interval for the whole deployment: the task has the scheduler's global scope, so of all replicas
 * sharing the backend database exactly one runs each round (the scheduler claims the task's row in
 * that database with a ticket; the others skip the round). The round's answer goes to the shared
 * cache (Redis in production), from which every replica serves it; a replica that starts serves
 * the stored summary at once (the scheduler keeps the task's next run when a replica registers it
 * again, so a restart starts no extra round).
 *
 * The round uses its own upstream clients with the refresh timeout. A summary is kept for one
 * interval plus the task's timeout, i.e. until the next refresh has had its chance to replace it.
 * The task stops with the backend (the
 * scheduler aborts it on shutdown) and the clients' keep-alive pools are closed then.
 *
 * Returns false (and schedules nothing) when the refresh is off or caching is off.
 */
export async function startSummaryRefresh(options: {
  config: FleetMonitoringConfig;
  instances: ThanosInstances;
  remoteWrite: RemoteWriteService;
  scheduler: SchedulerService;
  rootLifecycle: RootLifecycleService;
  logger: LoggerService;
}): Promise<boolean> {
  const { config, instances, remoteWrite, scheduler, rootLifecycle, logger } =
    options;
  const { intervalSeconds, timeoutSeconds } = config.summaryRefresh;
  if (intervalSeconds <= 0 || config.cacheTtlSeconds <= 0) return false;
  const clients = instances.names().map(
    name =>
      new ThanosClient({
        ...instances.client(name).instance,
        timeoutMs: timeoutSeconds * 1000,
      }),
  );
  // Each upstream call gives up after timeoutSeconds; the margin covers judging the answers. A
  // global task's claim expires after this timeout, so another replica can take over a lost round.
  const taskTimeoutSeconds = timeoutSeconds + 30;
  const keepSeconds = intervalSeconds + taskTimeoutSeconds;
  rootLifecycle.addShutdownHook(async () => {
    await Promise.all(clients.map(c => c.close()));
  });
  await scheduler.scheduleTask({
    id: SUMMARY_REFRESH_TASK,
    // One round per interval across all replicas (needs the database they share).
    scope: 'global',
    frequency: { seconds: intervalSeconds },
    timeout: { seconds: taskTimeoutSeconds },
    fn: async signal => {
      for (const client of clients) {
        if (signal.aborted) return;
        const started = Date.now();
        try {
          const summary = await remoteWrite.refreshFleetSummary(
            client,
            keepSeconds,
          );
          logger.debug(
            `Fleet summary of ${client.instance.name} refreshed in ${Date.now() - started} ms: ${
              summary
                ? `${summary.clusters.length} clusters`
                : 'upstream failed'
            }`,
          );
        } catch (e) {
          // One instance's failure must not keep the others cold.
          logger.warn(
            `Fleet summary refresh of ${client.instance.name} failed: ${e}`,
          );
        }
      }
    },
  });
  logger.info(
    `Fleet summaries refreshed in the background every ${intervalSeconds} s by one replica of the deployment (upstream timeout ${timeoutSeconds} s)`,
  );
  return true;
}
