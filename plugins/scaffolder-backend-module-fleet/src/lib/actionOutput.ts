import type { JsonValue } from '@backstage/types';
import { z } from 'zod/v3';
import { PlannedFile, writeFiles, WriteResult } from './files';

/** Output fields every fleet action reports. */
export const commonOutput = {
  files: z
    .array(z.string())
    .describe('Files written (created or replaced), relative to the workspace'),
  overlayPath: z
    .string()
    .describe(
      'The overlay directory the action worked on, relative to the workspace',
    ),
  warnings: z
    .array(z.string())
    .describe('Things worth a human look, e.g. TLS verification disabled'),
  dryRun: z
    .boolean()
    .describe(
      'True when run as a scaffolder dry-run (new files only, existing files untouched)',
    ),
};

export const overwriteInput = z
  .boolean()
  .default(false)
  .describe(
    'Replace existing files whose content differs (otherwise the action refuses)',
  );

/** The parts of ActionContext the runner needs (kept structural so tests and bench can pass plain objects). */
export type RunContext = {
  workspacePath: string;
  isDryRun?: boolean;
  logger: { info(msg: string): void; warn(msg: string): void };
  output(name: string, value: unknown): void;
  // Same constraint as ActionContext.checkpoint, so a real context is assignable.
  checkpoint?<T extends JsonValue | void>(opts: {
    key: string;
    fn: () => Promise<T> | T;
  }): Promise<T>;
};

/**
 * Writes the planned files (inside a checkpoint, so a retried task does not redo it), then logs and
 * outputs files / overlayPath / warnings / dryRun. Returns the write result.
 */
export async function writeAndReport(
  ctx: RunContext,
  opts: {
    key: string;
    files: PlannedFile[];
    overwrite: boolean;
    overlayPath: string;
    warnings: string[];
  },
): Promise<WriteResult> {
  const dryRun = Boolean(ctx.isDryRun);
  const run = () =>
    writeFiles(opts.files, {
      workspacePath: ctx.workspacePath,
      overwrite: opts.overwrite,
      dryRun,
    });
  // Dry-runs are never resumed, so they skip the checkpoint store.
  const result =
    ctx.checkpoint && !dryRun
      ? await ctx.checkpoint<WriteResult>({ key: opts.key, fn: run })
      : await run();
  const warnings = [...opts.warnings];
  for (const c of result.conflicts) {
    warnings.push(
      `${c} exists with different content; a real run needs overwrite: true to replace it`,
    );
  }
  for (const f of result.written)
    ctx.logger.info(`${dryRun ? '[dry-run] ' : ''}wrote ${f}`);
  for (const f of result.unchanged) ctx.logger.info(`unchanged ${f}`);
  for (const w of warnings) ctx.logger.warn(w);
  ctx.output('files', result.written);
  ctx.output('overlayPath', opts.overlayPath);
  ctx.output('warnings', warnings);
  ctx.output('dryRun', dryRun);
  return result;
}
