import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIGNAL_LABEL } from '../../thanos/signals';

/** One input series in promtool's notation, e.g. `0+15000x40` (one value per 15 s). */
export interface InputSeries {
  series: string;
  values: string;
}

export interface ExpectedSample {
  labels: Record<string, string>;
  value: number;
}

/** Only the samples of one signal of a joined query (same labels, value unchanged). */
export function signalOf(query: string, signal: string): string {
  return `(${query}) * on (${SIGNAL_LABEL}) group_left () label_replace(vector(1), "${SIGNAL_LABEL}", "${signal}", "", "")`;
}

const labelText = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;

/**
 * Evaluates `expr` with the real PromQL engine of Debian's Prometheus (`promtool test rules`) over
 * the given series (15 s apart from time 0) at `evalTime`, and checks the result equals `expected`
 * (label sets exact, no other series). Resolves with promtool's verdict and output.
 */
export async function promtoolExpect(
  input: InputSeries[],
  evalTime: string,
  expr: string,
  expected: ExpectedSample[],
): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'rw-promtool-'));
  try {
    const file = join(dir, 'test.yml');
    const test = {
      rule_files: [],
      evaluation_interval: '15s',
      tests: [
        {
          interval: '15s',
          input_series: input,
          promql_expr_test: [
            {
              expr,
              eval_time: evalTime,
              exp_samples: expected.map(e => ({
                labels: labelText(e.labels),
                value: e.value,
              })),
            },
          ],
        },
      ],
    };
    // JSON is YAML.
    await writeFile(file, JSON.stringify(test, null, 1));
    return await new Promise(resolve => {
      execFile('promtool', ['test', 'rules', file], (err, stdout, stderr) =>
        resolve({ ok: !err, output: `${stdout}${stderr}` }),
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
