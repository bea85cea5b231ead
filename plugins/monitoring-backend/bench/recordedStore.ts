/**
 * Bench helpers for the fleet recording rules: a central store that evaluates the generated rule
 * group itself (the ruler's part, on the data it holds), and the wait until the group has run over
 * what was written.
 */
import { ConfigReader } from '@backstage/config';
import {
  centralConfig,
  PrometheusProcess,
} from '@fleet-monitoring/local-fleet';
import { fleetRecordingRuleGroup } from '@fleet-monitoring/plugin-monitoring-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFleetMonitoringConfig } from '../src/config';
import { summaryScope } from '../src/remoteWrite/RemoteWriteService';
import { recordingRulesProbeQuery } from '../src/thanos/queries';
import { SIGNAL_LABEL } from '../src/thanos/signals';

/** The backend's default scope: the rule group is generated for it, as a user would. */
export const SCOPE = summaryScope(
  readFleetMonitoringConfig(new ConfigReader({})),
);

/** How often the benches' stores evaluate the fleet rule group. */
export const INTERVAL_SECONDS = 30;
export const RULES_INTERVAL = `${INTERVAL_SECONDS}s`;

/**
 * The scope the backend reads recorded series with, for the direct path to send the same PromQL:
 * covered since the group's first evaluation, at the group's interval (what the probe finds).
 */
export function recordedScope(firstEvaluated: number): typeof SCOPE {
  return {
    ...SCOPE,
    source: {
      kind: 'recorded',
      coveredSeconds: Date.now() / 1000 - firstEvaluated,
      intervalSeconds: INTERVAL_SECONDS,
    },
  };
}

/** The fleet rule group the benches' stores evaluate (as generated now, whatever it holds). */
export function benchRuleGroup() {
  return fleetRecordingRuleGroup({
    clusterLabel: SCOPE.clusterLabel,
    window: SCOPE.window,
    interval: RULES_INTERVAL,
  });
}

/** A central Prometheus (not started) that evaluates the fleet rule group every RULES_INTERVAL. */
export function storeWithFleetRules(name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rules-'));
  const ruleFile = path.join(dir, 'fleet-rules.yml');
  // JSON is YAML: Prometheus reads it as a rule file.
  fs.writeFileSync(ruleFile, JSON.stringify({ groups: [benchRuleGroup()] }));
  return new PrometheusProcess({
    name,
    mode: 'central',
    baseDir: dir,
    config: { ...centralConfig('15s'), rule_files: [ruleFile] },
  });
}

/** Removes a store made by storeWithFleetRules, rule file included. */
export async function destroyStore(store: PrometheusProcess) {
  await store.destroy();
  fs.rmSync(path.dirname(store.dir), { recursive: true, force: true });
}

/**
 * Waits until the store has evaluated the fleet rule group twice since now (so the recorded series
 * cover the fleet written before); returns the group's first evaluation (epoch s).
 */
export async function recordedFleetReady(storeUrl: string): Promise<number> {
  const since = Date.now() / 1000;
  const probe = recordingRulesProbeQuery(SCOPE.window);
  for (;;) {
    const res = await fetch(
      `${storeUrl}/api/v1/query?${new URLSearchParams({ query: probe })}`,
    );
    const body = (await res.json()) as any;
    const value = (signal: string) =>
      Number(
        body.data?.result?.find((r: any) => r.metric[SIGNAL_LABEL] === signal)
          ?.value[1] ?? NaN,
      );
    if (value('last_evaluated') > since + 30) return value('first_evaluated');
    await new Promise(r => setTimeout(r, 5000));
  }
}
