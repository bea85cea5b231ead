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
 * Keeps every Thanos instance's fleet summary warm (`fleetMonitoring.summaryRefresh`): a local
 * scheduler task recomputes it every interval, so a page load is served from memory instead of
 * waiting on a summary round (seconds at 10,000 clusters). The round uses its own upstream clients
 * with the refresh timeout; a summary is kept for one interval plus that timeout, i.e. until the
 * next refresh has had its chance to replace it. The task stops with the backend (the scheduler
 * aborts it on shutdown) and the clients' keep-alive pools are closed then.
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
  const keepSeconds = intervalSeconds + timeoutSeconds;
  rootLifecycle.addShutdownHook(async () => {
    await Promise.all(clients.map(c => c.close()));
  });
  await scheduler.scheduleTask({
    id: SUMMARY_REFRESH_TASK,
    scope: 'local',
    frequency: { seconds: intervalSeconds },
    // Each upstream call gives up after timeoutSeconds; the margin covers judging the answers.
    timeout: { seconds: timeoutSeconds + 30 },
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
    `Fleet summaries refreshed in the background every ${intervalSeconds} s (upstream timeout ${timeoutSeconds} s)`,
  );
  return true;
}
