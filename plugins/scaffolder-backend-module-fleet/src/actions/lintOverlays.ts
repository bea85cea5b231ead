import { InputError } from '@backstage/errors';
import {
  lintOverlays,
  OverlayLintReport,
} from '@fleet-monitoring/plugin-monitoring-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod/v3';
import { parseInput, toActionSchema } from '../lib/actionSchema';
import { resolveInWorkspace } from '../lib/paths';
import { examples } from './lintOverlays.examples';

/** Id of the overlay lint action. @public */
export const LINT_OVERLAYS_ID = 'fleet:overlay:lint';

/** What the lint reads at most: a GitOps repository's deploy/ tree is a few files per cluster. */
export const LINT_LIMITS = { files: 20_000, bytes: 64 * 1024 * 1024 };

const inputShape = {
  path: z
    .string()
    .max(1000)
    .default('.')
    .describe(
      'Workspace directory holding the GitOps repository (its deploy/ tree); defaults to the workspace itself',
    ),
  reportOnly: z
    .boolean()
    .default(false)
    .describe(
      'Report error findings without failing the step (for a first run on an existing repository)',
    ),
};
const inputSchema = z.object(inputShape);
/** Input of fleet:overlay:lint. */
export type LintOverlaysInput = z.input<typeof inputSchema>;

/**
 * Reads the files of `<root>/deploy/` (regular files only; symlinks are neither followed nor read),
 * keyed by their path relative to root with '/' separators, within {@link LINT_LIMITS}.
 */
export async function readDeployTree(
  root: string,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let bytes = 0;
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const abs = path.join(dir, entry.name);
      const relPath = `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(abs, relPath);
      else if (entry.isFile()) {
        const size = (await fs.stat(abs)).size;
        bytes += size;
        if (files.size + 1 > LINT_LIMITS.files || bytes > LINT_LIMITS.bytes) {
          throw new InputError(
            `deploy/ holds more than ${LINT_LIMITS.files} files or ${LINT_LIMITS.bytes / 1024 / 1024} MiB; the overlay lint reads GitOps repositories, not that`,
          );
        }
        files.set(relPath, await fs.readFile(abs, 'utf8'));
      }
    }
  };
  await walk(path.join(root, 'deploy'), 'deploy');
  return files;
}

/** One line per finding, for the step's log and the failure message. */
export function formatFinding(f: OverlayLintReport['findings'][number]) {
  return `${f.severity} ${f.rule} ${f.path}: ${f.message} (docs: ${f.docs})`;
}

/**
 * fleet:overlay:lint: lints the overlays of the GitOps repository in the workspace with the rules
 * the create actions write by (common's overlay lint), for the repository's own CI.
 *
 * @public
 */
export function lintOverlaysAction() {
  return createTemplateAction({
    id: LINT_OVERLAYS_ID,
    description:
      'Lints deploy/overlays/<cluster>/<component> and deploy/base of the GitOps repository in the workspace with the rules the fleet:overlay:create-* actions write by (agent flags for the chart version, keys the chart ignores, retry_on_http_429, tenant header and cluster label equal to the directory, hashring vs replication factor, namespace transformers, Receive self-monitoring). Fails the step on an error finding unless reportOnly',
    examples,
    supportsDryRun: true,
    schema: {
      input: toActionSchema(inputShape),
      output: toActionSchema({
        findings: z
          .array(
            z.object({
              rule: z.string(),
              severity: z.enum(['error', 'warning']),
              path: z.string(),
              cluster: z.string().optional(),
              message: z.string(),
              docs: z.string(),
            }),
          )
          .describe(
            'Every finding: rule id, severity, file, message, docs section',
          ),
        counts: z
          .object({ error: z.number(), warning: z.number() })
          .describe('Findings per severity'),
        overlays: z
          .number()
          .describe(
            'Overlay directories read (deploy/overlays/<cluster>/<component>)',
          ),
      }),
    },
    // The explicit return type keeps TypeScript from inferring through the whole action (TS2589).
    async handler(ctx): Promise<void> {
      const input = parseInput(inputSchema, ctx.input, LINT_OVERLAYS_ID);
      const root = await resolveInWorkspace(ctx.workspacePath, input.path);
      const report = lintOverlays(await readDeployTree(root));
      for (const f of report.findings) {
        if (f.severity === 'error') ctx.logger.error(formatFinding(f));
        else ctx.logger.warn(formatFinding(f));
      }
      ctx.logger.info(
        `${report.overlays.length} overlay(s): ${report.counts.error} error(s), ${report.counts.warning} warning(s)`,
      );
      ctx.output('findings', report.findings);
      ctx.output('counts', report.counts);
      ctx.output('overlays', report.overlays.length);
      if (report.counts.error > 0 && !input.reportOnly) {
        const errors = report.findings.filter(f => f.severity === 'error');
        throw new InputError(
          `${LINT_OVERLAYS_ID}: ${errors.length} error finding(s): ${errors
            .map(formatFinding)
            .join('; ')}`,
        );
      }
    },
  });
}
