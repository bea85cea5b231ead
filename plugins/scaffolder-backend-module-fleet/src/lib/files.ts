import { InputError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveInWorkspace } from './paths';

/** A file an action wants in the workspace, path relative to the workspace with '/' separators. */
export type PlannedFile = { path: string; content: string };

export type WriteOptions = {
  workspacePath: string;
  /** Replace existing files whose content differs. */
  overwrite: boolean;
  /**
   * Scaffolder dry-run. The workspace of a dry-run is a scratch copy whose contents are the preview
   * the scaffolder returns, so new files are still written there (as Backstage's own fetch:template
   * and catalog:write do); an existing file is never modified: a difference is reported as a
   * conflict instead of being written or thrown.
   */
  dryRun: boolean;
};

export type WriteResult = {
  /** Files created or replaced, workspace relative. */
  written: string[];
  /** Files that already had exactly the planned content. */
  unchanged: string[];
  /** Dry-run only: existing files that differ and would need `overwrite: true`. */
  conflicts: string[];
};

/**
 * Writes planned files if their content changed. All targets are checked before anything is written,
 * so a refusal leaves the workspace untouched.
 */
export async function writeFiles(
  files: PlannedFile[],
  opts: WriteOptions,
): Promise<WriteResult> {
  const plan: Array<{ file: PlannedFile; abs: string; existing?: string }> = [];
  for (const file of files) {
    const abs = await resolveInWorkspace(opts.workspacePath, file.path);
    const existing = await readIfExists(abs, file.path);
    plan.push({ file, abs, existing });
  }
  const differing = plan.filter(
    p => p.existing !== undefined && p.existing !== p.file.content,
  );
  if (differing.length && !opts.overwrite && !opts.dryRun) {
    throw new InputError(
      `refusing to replace existing file(s) with different content: ${differing
        .map(p => p.file.path)
        .join(', ')}; pass overwrite: true to replace them`,
    );
  }
  const result: WriteResult = { written: [], unchanged: [], conflicts: [] };
  for (const p of plan) {
    if (p.existing === p.file.content) {
      result.unchanged.push(p.file.path);
    } else if (p.existing !== undefined && opts.dryRun) {
      result.conflicts.push(p.file.path);
    } else {
      await fs.mkdir(path.dirname(p.abs), { recursive: true });
      await fs.writeFile(p.abs, p.file.content, 'utf8');
      result.written.push(p.file.path);
    }
  }
  return result;
}

/** Reads a workspace file if it exists (undefined otherwise), after the same path safety checks. */
export async function readWorkspaceFile(
  workspacePath: string,
  relative: string,
) {
  return readIfExists(
    await resolveInWorkspace(workspacePath, relative),
    relative,
  );
}

async function readIfExists(
  abs: string,
  shown: string,
): Promise<string | undefined> {
  try {
    const stat = await fs.lstat(abs);
    if (stat.isSymbolicLink()) {
      throw new InputError(`${shown} is a symlink; refusing to follow it`);
    }
    if (!stat.isFile())
      throw new InputError(`${shown} exists and is not a regular file`);
    return await fs.readFile(abs, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
