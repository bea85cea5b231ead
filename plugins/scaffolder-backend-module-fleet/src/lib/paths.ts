import { InputError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Resolves a workspace-relative path and guarantees the result stays inside the workspace, also when
 * an existing directory on the way is a symlink pointing elsewhere (checked on the real path of the
 * deepest existing ancestor).
 */
export async function resolveInWorkspace(
  workspacePath: string,
  relative: string,
): Promise<string> {
  if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..')) {
    throw new InputError(
      `path ${JSON.stringify(relative)} must be relative to the workspace without '..'`,
    );
  }
  const root = path.resolve(workspacePath);
  const target = path.resolve(root, relative);
  if (!isInside(root, target)) {
    throw new InputError(
      `path ${JSON.stringify(relative)} leaves the workspace`,
    );
  }
  const realRoot = await fs.realpath(root).catch(() => root);
  // Walk up to the deepest existing ancestor (or the target itself) and check where it really is.
  let probe = target;
  for (;;) {
    try {
      const real = await fs.realpath(probe);
      if (!isInside(realRoot, real)) {
        throw new InputError(
          `path ${JSON.stringify(relative)} leaves the workspace through a symlink`,
        );
      }
      break;
    } catch (e) {
      if (e instanceof InputError) throw e;
      const parent = path.dirname(probe);
      if (parent === probe || !isInside(root, parent)) break;
      probe = parent;
    }
  }
  return target;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
