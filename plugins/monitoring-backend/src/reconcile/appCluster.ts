import type { FleetApp } from './sources';

const OVERLAY_PATH = /(?:^|\/)deploy\/overlays\/([^/]+)(?:\/|$)/;

/**
 * The cluster an Application deploys: the overlay directory its source path names
 * (`deploy/overlays/<cluster>/<component>`, the layout our scaffolder writes and ArgoCD syncs),
 * else its destination cluster's name when that is a cluster some source knows.
 */
export function clusterOfApp(
  app: FleetApp,
  known: (cluster: string) => boolean,
): string | undefined {
  const m = app.path ? OVERLAY_PATH.exec(app.path.replace(/^\.\//, '')) : null;
  if (m) return m[1];
  if (app.destinationName && known(app.destinationName))
    return app.destinationName;
  return undefined;
}

/**
 * A link to a revision in the repository's web UI: GitHub, GitLab and Gitea all answer
 * `<repo>/commit/<sha>`. Only for a full commit SHA and an https or scp-style git URL.
 */
export function revisionUrl(
  repoURL: string | undefined,
  revision: string | undefined,
): string | undefined {
  if (!repoURL || !revision || !/^[0-9a-f]{40}$/.test(revision))
    return undefined;
  let base = repoURL
    .trim()
    .replace(/\.git$/, '')
    .replace(/\/$/, '');
  const scp = /^[\w.-]+@([\w.-]+):(.+)$/.exec(base);
  if (scp) base = `https://${scp[1]}/${scp[2]}`;
  if (!/^https:\/\/[^/]+\/.+/.test(base)) return undefined;
  return `${base}/commit/${revision}`;
}
