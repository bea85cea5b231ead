import { readWorkspaceFile } from './files';

/**
 * Reads a workspace-relative file, undefined when it does not exist. The planners take this instead
 * of a directory so they also run on files held in memory (planFleet, the loop test).
 */
export type ReadFile = (relativePath: string) => Promise<string | undefined>;

export const workspaceReader =
  (workspacePath: string): ReadFile =>
  relative =>
    readWorkspaceFile(workspacePath, relative);

export const memoryReader =
  (files: ReadonlyMap<string, string>): ReadFile =>
  async relative =>
    files.get(relative);
