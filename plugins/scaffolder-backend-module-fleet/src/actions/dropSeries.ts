import type { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createHash } from 'node:crypto';
import { z } from 'zod/v3';
import { commonOutput, RunContext } from '../lib/actionOutput';
import { parseInput, toActionSchema } from '../lib/actionSchema';
import {
  checkSelection,
  dropRule,
  joinTerms,
  MAX_METRICS,
  MAX_NAME_LENGTH,
  MAX_PREFIXES,
  METRIC_NAME,
  regexTerms,
  termsNotYetDropped,
} from '../lib/dropSeries';
import { readWorkspaceFile, writeFiles } from '../lib/files';
import { clusterName, overlayDir } from '../lib/names';
import { addRelabelRules } from '../lib/relabelEdit';
import { countSeries, removedQuery, thanosTarget } from '../lib/seriesCount';
import { unifiedDiff } from '../lib/unifiedDiff';
import { examples } from './dropSeries.examples';

/**
 * Id of the action that drops metrics at a cluster's agent (templates/drop-series).
 *
 * @public
 */
export const DROP_SERIES_ID = 'fleet:agent:drop-series';

/** Where the prometheus chart takes remote_write entries from (rendered verbatim into the config). */
const REMOTE_WRITE_PATH = ['server', 'remoteWrite'];

const metricName = z
  .string()
  .max(MAX_NAME_LENGTH)
  .regex(
    METRIC_NAME,
    'must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)',
  );

const inputShape = {
  cluster: clusterName.describe(
    'Cluster whose edge overlay (deploy/overlays/<cluster>/prometheus-agent/values.yaml, fetched from the GitOps repository) gets the rule',
  ),
  metrics: z
    .array(metricName)
    .max(MAX_METRICS)
    .default([])
    .describe('Metric names to drop before remote write (exact names)'),
  prefixes: z
    .array(metricName)
    .max(MAX_PREFIXES)
    .default([])
    .describe(
      'Metric name prefixes to drop (every name starting with one), e.g. go_gc_',
    ),
  thanosInstance: z
    .string()
    .max(253)
    .optional()
    .describe(
      'fleetMonitoring.thanos instance to count the series on; the first configured one when absent',
    ),
};
const inputSchema = z.object(inputShape);
/**
 * Input of fleet:agent:drop-series: the cluster, the metric names and prefixes to drop, and the
 * Thanos instance to count on.
 *
 * @public
 */
export type DropSeriesInput = z.input<typeof inputSchema>;

const outputShape = {
  ...commonOutput,
  changed: z
    .boolean()
    .describe(
      'False when every remote_write entry already dropped the selection',
    ),
  diff: z
    .string()
    .describe('Unified diff of the values file (empty when unchanged)'),
  regex: z
    .string()
    .describe('The relabel regex of the selection (Prometheus anchors it)'),
  seriesRemoved: z
    .number()
    .optional()
    .describe(
      'Live series of the cluster the drop removes (now, deduplicated)',
    ),
  seriesTotal: z.number().optional().describe('All live series of the cluster'),
  seriesShare: z
    .number()
    .optional()
    .describe('seriesRemoved / seriesTotal (0 to 1)'),
  seriesQuery: z.string().describe('The PromQL that counted seriesRemoved'),
  seriesError: z
    .string()
    .optional()
    .describe(
      'Why the series could not be counted (Thanos unreachable, not configured)',
    ),
};

/**
 * fleet:agent:drop-series: adds a `write_relabel_configs` drop rule for chosen metrics to every
 * remote_write entry of a cluster's existing edge overlay, and counts on the live data how many
 * series it removes. Refuses to drop what the fleet's health rules read.
 *
 * @public
 */
export function dropSeriesAction(options: { config?: RootConfigService } = {}) {
  return createTemplateAction({
    id: DROP_SERIES_ID,
    description:
      "Adds a write_relabel_configs drop rule for the chosen metrics to every remote_write entry of deploy/overlays/<cluster>/prometheus-agent/values.yaml (nothing else in the file changes), and measures on Thanos Query how many of the cluster's series it removes. Refuses `up` and the agent's prometheus_remote_storage_* series.",
    examples,
    supportsDryRun: true,
    schema: {
      input: toActionSchema(inputShape),
      output: toActionSchema(outputShape),
    },
    async handler(ctx): Promise<void> {
      const input = parseInput(inputSchema, ctx.input, DROP_SERIES_ID);
      await runDropSeries(ctx, input, options.config);
    },
  });
}

async function runDropSeries(
  ctx: RunContext,
  input: z.output<typeof inputSchema>,
  config: RootConfigService | undefined,
) {
  const selection = { metrics: input.metrics, prefixes: input.prefixes };
  checkSelection(selection);
  const dryRun = Boolean(ctx.isDryRun);
  const overlayPath = overlayDir(input.cluster, 'edge');
  const valuesPath = `${overlayPath}/values.yaml`;
  const source = await readWorkspaceFile(ctx.workspacePath, valuesPath);
  if (source === undefined) {
    throw new InputError(
      `${valuesPath} is not in the workspace: the cluster has no edge overlay in the repository (fetch deploy/overlays/${input.cluster}/prometheus-agent first; overlays are written by fleet:overlay:create-edge)`,
    );
  }
  const edit = addRelabelRules(
    source,
    valuesPath,
    REMOTE_WRITE_PATH,
    existing => {
      const terms = termsNotYetDropped(existing, selection);
      return terms.length ? dropRule(terms) : undefined;
    },
  );
  const changed = edit.text !== source;
  const regex = joinTerms(regexTerms(selection));
  const warnings: string[] = [];
  if (!changed)
    warnings.push(
      `every remote_write entry of ${valuesPath} already drops the selection: nothing to change`,
    );

  let files: string[] = [];
  if (changed && !dryRun) {
    const write = async () =>
      (
        await writeFiles([{ path: valuesPath, content: edit.text }], {
          workspacePath: ctx.workspacePath,
          overwrite: true,
          dryRun: false,
        })
      ).written;
    files = ctx.checkpoint
      ? await ctx.checkpoint<string[]>({
          // The regex can be kilobytes long; its digest keeps the key short and still per selection.
          key: `${DROP_SERIES_ID}:${input.cluster}:${createHash('sha256').update(regex).digest('hex').slice(0, 16)}`,
          fn: write,
        })
      : await write();
  }

  const target = thanosTarget(config, input.thanosInstance);
  const count =
    typeof target === 'string'
      ? { ok: false as const, error: target }
      : await countSeries(target, input.cluster, regex);
  if (count.ok) {
    ctx.output('seriesRemoved', count.removed);
    ctx.output('seriesTotal', count.total);
    const share = count.total ? count.removed / count.total : 0;
    ctx.output('seriesShare', Math.round(share * 10_000) / 10_000);
    ctx.logger.info(
      `${count.removed} of ${count.total} live series of ${input.cluster} match ${regex}`,
    );
    if (count.removed === 0)
      warnings.push(
        `no live series of ${input.cluster} match ${regex}: already dropped, or not sent by this cluster`,
      );
  } else {
    ctx.output('seriesError', count.error);
    warnings.push(count.error);
  }

  const diff = unifiedDiff(valuesPath, source, edit.text);
  if (changed)
    ctx.logger.info(
      `${dryRun ? '[dry-run] would change' : 'changed'} ${valuesPath}:\n${diff}`,
    );
  for (const w of warnings) ctx.logger.warn(w);
  ctx.output('files', files);
  ctx.output('overlayPath', overlayPath);
  ctx.output('warnings', warnings);
  ctx.output('dryRun', dryRun);
  ctx.output('changed', changed);
  ctx.output('diff', diff);
  ctx.output('regex', regex);
  ctx.output('seriesQuery', removedQuery(input.cluster, regex));
}
