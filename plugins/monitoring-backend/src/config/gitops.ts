import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { GitopsSettings } from './types';
import { readNumber } from './validators';

/** `fleetMonitoring.gitops`: the GitOps repository the overlay lint reads (absent: not configured). */
export function readGitopsSettings(
  fm: Config | undefined,
): GitopsSettings | undefined {
  const c = fm?.getOptionalConfig('gitops');
  if (!c) return undefined;
  const where = 'fleetMonitoring.gitops';
  const url = c.getString('url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`${where}.url is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new InputError(`${where}.url must be http(s)`);
  return {
    url,
    maxFiles: readNumber(c, 'maxFiles', 20_000, where, { positive: true }),
    maxBytes: readNumber(c, 'maxBytes', 32 * 1024 * 1024, where, {
      positive: true,
    }),
  };
}
