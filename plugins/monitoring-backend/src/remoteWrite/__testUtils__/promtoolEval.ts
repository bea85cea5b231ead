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

/** One expression checked at one time: exactly `expected` (label sets exact, no other series). */
export interface ExprTest {
  expr: string;
  evalTime: string;
  expected: ExpectedSample[];
}

/** A rule group evaluated over the input, and the spacing of the input's samples. */
export interface PromtoolOptions {
  /** Rule groups (a rule file's `groups:`), evaluated every `evaluationInterval` from time 0. */
  groups?: unknown[];
  evaluationInterval?: string;
  /** Spacing of the input series' values (15 s when absent). */
  interval?: string;
}

/**
 * Evaluates each expression with the real PromQL engine of Debian's Prometheus (`promtool test
 * rules`) over the given series (`interval` apart from time 0) and what the rule groups record from
 * them, and checks each result. Resolves with promtool's verdict and output.
 */
export async function promtoolExpectAll(
  input: InputSeries[],
  tests: ExprTest[],
  options: PromtoolOptions = {},
): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'rw-promtool-'));
  try {
    const file = join(dir, 'test.yml');
    const ruleFiles: string[] = [];
    if (options.groups) {
      const rules = join(dir, 'rules.yml');
      await writeFile(rules, JSON.stringify({ groups: options.groups }));
      ruleFiles.push(rules);
    }
    const test = {
      rule_files: ruleFiles,
      evaluation_interval: options.evaluationInterval ?? '15s',
      tests: [
        {
          interval: options.interval ?? '15s',
          input_series: input,
          promql_expr_test: tests.map(t => ({
            expr: t.expr,
            eval_time: t.evalTime,
            exp_samples: t.expected.map(e => ({
              labels: labelText(e.labels),
              value: e.value,
            })),
          })),
        },
      ],
    };
    // JSON is YAML.
    await writeFile(file, JSON.stringify(test, null, 1));
    return await new Promise(resolve => {
      execFile(
        'promtool',
        ['test', 'rules', file],
        { maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) =>
          resolve({ ok: !err, output: `${stdout}${stderr}` }),
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

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
  return promtoolExpectAll(input, [{ expr, evalTime, expected }]);
}
