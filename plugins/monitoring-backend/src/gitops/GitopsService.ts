import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  GitopsLintResponse,
  lintOverlays,
  overlayFacts,
  OverlayFact,
  OverlayHashring,
} from '@fleet-monitoring/plugin-monitoring-common';
import type { GitopsSettings } from '../config';
import type { CachedLoader } from '../core/CachedLoader';
import { cacheKey } from '../core/cacheKeys';
import { UpstreamError } from '../upstream/errors';

/** How the repository shows in answers and errors (never its URL: that stays in the backend). */
export const GITOPS_UPSTREAM = 'gitops:repository';

interface GitopsSnapshot {
  lint: GitopsLintResponse;
  facts: { overlays: OverlayFact[]; hashrings: OverlayHashring[] };
}

/** What the lint reads of the tree: the layout's files, nothing else. */
const LINTED = /^deploy\/.+\.(ya?ml|json)$|^deploy\/.*\/Kustomization$/;

/**
 * The GitOps repository as a source (#22): its deploy/ tree read through Backstage's UrlReader
 * (the integration of the URL's host supplies credentials), bounded, and linted with common's
 * overlay lint. One tree read per cache period; replicas share the answer through the CacheService.
 */
export class GitopsService {
  constructor(
    private readonly settings: GitopsSettings | undefined,
    private readonly urlReader: UrlReaderService,
    private readonly loader: CachedLoader,
    private readonly logger: LoggerService,
  ) {}

  get configured(): boolean {
    return this.settings !== undefined;
  }

  /** One tree read per cache period answers both the lint and the overlay facts (#22 reconcile). */
  private async snapshot(): Promise<GitopsSnapshot> {
    const settings = this.settings;
    if (!settings) {
      throw new UpstreamError(
        GITOPS_UPSTREAM,
        'not-configured',
        'no GitOps repository is configured (fleetMonitoring.gitops.url)',
      );
    }
    const { value } = await this.loader.load(
      cacheKey('gitops-snapshot', settings.url),
      async () => {
        const files = await this.readDeployTree(settings);
        return { lint: this.lintFiles(files), facts: overlayFacts(files) };
      },
    );
    return value;
  }

  /** What the overlays say each cluster runs, and the central overlays' hashrings. */
  async repositoryFacts(): Promise<{
    overlays: OverlayFact[];
    hashrings: OverlayHashring[];
    lint: GitopsLintResponse;
  }> {
    const { lint, facts } = await this.snapshot();
    return { ...facts, lint };
  }

  /** The lint of the whole repository, or only one cluster's findings. */
  async lint(cluster?: string): Promise<GitopsLintResponse> {
    const value = (await this.snapshot()).lint;
    if (cluster === undefined) return value;
    const findings = value.findings.filter(f => f.cluster === cluster);
    return {
      ...value,
      findings,
      counts: {
        error: findings.filter(f => f.severity === 'error').length,
        warning: findings.filter(f => f.severity === 'warning').length,
      },
      overlays: value.overlays.filter(o => o.cluster === cluster),
    };
  }

  private lintFiles(files: Map<string, string>): GitopsLintResponse {
    const report = lintOverlays(files);
    this.logger.info(
      `GitOps lint: ${files.size} file(s), ${report.overlays.length} overlay(s), ${report.counts.error} error(s), ${report.counts.warning} warning(s)`,
    );
    return {
      generatedAt: new Date().toISOString(),
      findings: report.findings,
      counts: report.counts,
      overlays: report.overlays,
      files: files.size,
    };
  }

  private async readDeployTree(
    settings: GitopsSettings,
  ): Promise<Map<string, string>> {
    let count = 0;
    let bytes = 0;
    let tooLarge = false;
    const files = new Map<string, string>();
    try {
      const tree = await this.urlReader.readTree(settings.url, {
        // Counted per entry before it is extracted: past the bounds nothing more is held in memory.
        filter: (path, info) => {
          if (!LINTED.test(path)) return false;
          count += 1;
          bytes += info?.size ?? 0;
          if (count > settings.maxFiles || bytes > settings.maxBytes) {
            tooLarge = true;
            return false;
          }
          return true;
        },
      });
      for (const file of await tree.files()) {
        files.set(file.path, (await file.content()).toString('utf8'));
      }
    } catch (e) {
      throw this.readError(e);
    }
    if (tooLarge) {
      throw new UpstreamError(
        GITOPS_UPSTREAM,
        'too-large',
        `deploy/ holds more than ${settings.maxFiles} files or ${settings.maxBytes} bytes (fleetMonitoring.gitops.maxFiles, maxBytes)`,
      );
    }
    return files;
  }

  /** What users see: the kind of failure in our words; the reader's message only in the log. */
  private readError(e: unknown): UpstreamError {
    const err = e as Error;
    const kinds: Record<string, 'not-found' | 'forbidden'> = {
      NotFoundError: 'not-found',
      NotAllowedError: 'forbidden',
    };
    const kind = kinds[err.name] ?? 'unreachable';
    return new UpstreamError(
      GITOPS_UPSTREAM,
      kind,
      kind === 'not-found'
        ? 'reading the GitOps repository failed: the repository or branch was not found (fleetMonitoring.gitops.url, integrations credentials)'
        : 'reading the GitOps repository failed (fleetMonitoring.gitops.url, integrations credentials)',
      undefined,
      err.message,
    );
  }
}
