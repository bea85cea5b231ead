import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  REASONS,
  REASON_IDS,
  reasonDocsPath,
} from '@fleet-monitoring/plugin-monitoring-common';
import { configKeyPaths, readRepoFile, repoRoot } from './repo';

/**
 * Builds the TechDocs handbook with `mkdocs build --strict` (Debian's mkdocs 1.4 + mkdocs-material),
 * then checks the built HTML: one heading anchor per health reason id, and every config key of
 * plugins/monitoring-backend/config.d.ts in the configuration reference.
 */

const INSTALL_HINT =
  'mkdocs with the material theme is needed to build the TechDocs handbook: apt-get install mkdocs mkdocs-material';

/** The command that runs mkdocs with a Python that has it (the PATH's pyenv python may not). */
function findMkdocs(): { cmd: string; args: string[] } | undefined {
  const candidates: Array<{ cmd: string; args: string[] }> = [
    { cmd: '/usr/bin/python3', args: ['-m', 'mkdocs'] },
    { cmd: 'mkdocs', args: [] },
    { cmd: 'python3', args: ['-m', 'mkdocs'] },
  ];
  for (const c of candidates) {
    const probe = spawnSync(c.cmd, [...c.args, '--version'], {
      encoding: 'utf8',
    });
    if (probe.status === 0) return c;
  }
  return undefined;
}

function htmlOf(site: string, page: string): string {
  const file = path.join(site, page, 'index.html');
  if (!fs.existsSync(file)) {
    throw new Error(
      `built site has no page ${page}/index.html (is docs/${page}.md missing?)`,
    );
  }
  return fs.readFileSync(file, 'utf8');
}

describe('TechDocs handbook', () => {
  let site = '';
  let buildLog = '';

  beforeAll(() => {
    const mkdocs = findMkdocs();
    if (!mkdocs) throw new Error(INSTALL_HINT);
    site = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-monitoring-docs-'));
    const run = spawnSync(
      mkdocs.cmd,
      [...mkdocs.args, 'build', '--strict', '--site-dir', site],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    buildLog = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    if (run.status !== 0) {
      throw new Error(
        `mkdocs build --strict failed (exit ${run.status}):\n${buildLog}`,
      );
    }
  }, 180_000);

  afterAll(() => {
    if (site) fs.rmSync(site, { recursive: true, force: true });
  });

  it('builds strictly', () => {
    expect(fs.existsSync(path.join(site, 'index.html'))).toBe(true);
    expect(buildLog).not.toMatch(/WARNING/);
  });

  it('uses the material theme and the extensions the pages rely on', () => {
    const yml = readRepoFile('mkdocs.yml');
    expect(yml).toMatch(/^site_name: Fleet Monitoring$/m);
    expect(yml).toMatch(/name: material/);
    for (const ext of ['attr_list', 'admonition', 'toc'])
      expect(yml).toContain(`- ${ext}`);
  });

  it('knows reason ids at all', () => {
    expect(REASON_IDS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(REASON_IDS.map(id => [id, REASONS[id].page] as const))(
    'has a heading anchor for reason %s on %s',
    (id, page) => {
      const html = htmlOf(site, page);
      const heading = new RegExp(`<h[1-6][^>]*\\sid="${id}"`);
      expect(html).toMatch(heading);
      // The card links to <root>/<page>/#<id>.
      expect(reasonDocsPath(id)).toBe(`${page}/#${id}`);
    },
  );

  it('has one troubleshooting page per TroubleshootingPage value, all built', () => {
    const pages = [...new Set(REASON_IDS.map(id => REASONS[id].page))];
    expect(pages.sort()).toEqual(
      [
        'troubleshooting/argocd',
        'troubleshooting/capacity',
        'troubleshooting/reconciliation',
        'troubleshooting/kubernetes',
        'troubleshooting/metrics-missing',
        'troubleshooting/remote-write',
        'troubleshooting/thanos-query',
        'troubleshooting/thanos-receive',
        'troubleshooting/upstreams',
      ].sort(),
    );
    for (const page of pages) expect(htmlOf(site, page)).toContain('</h1>');
  });

  describe('configuration reference', () => {
    // Both plugins declare keys under fleetMonitoring: the backend's and the frontend's (docsBaseUrl,
    // demoDataNotice); the reference documents both.
    const keys = [
      ...new Set([
        ...configKeyPaths(
          readRepoFile('plugins/monitoring-backend/config.d.ts'),
        ),
        ...configKeyPaths(readRepoFile('plugins/monitoring/config.d.ts')),
      ]),
    ];

    it('parses config.d.ts', () => {
      // Guards against a parser that finds nothing and so checks nothing.
      expect(keys.length).toBeGreaterThanOrEqual(40);
      expect(keys).toEqual(
        expect.arrayContaining([
          'fleetMonitoring',
          'fleetMonitoring.clusterLabel',
          'fleetMonitoring.cache.ttlSeconds',
          'fleetMonitoring.thresholds.remoteWrite.lagCriticalSeconds',
          'fleetMonitoring.thanos',
          'fleetMonitoring.thanos[].baseUrl',
          'fleetMonitoring.thanos[].headers',
          'fleetMonitoring.argocd[].token',
          'fleetMonitoring.kubernetes.clusters[].serviceAccountToken',
        ]),
      );
    });

    it('documents every key of config.d.ts', () => {
      const html = htmlOf(site, 'plugins/configuration');
      const missing = keys
        .filter(k => k !== 'fleetMonitoring')
        .filter(k => !html.includes(`<code>${k}</code>`));
      expect(missing).toEqual([]);
    });

    it('mentions no config key that config.d.ts does not declare, on any page', () => {
      const known = new Set(keys);
      const stale: string[] = [];
      const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else if (entry.name.endsWith('.html')) {
            const html = fs.readFileSync(full, 'utf8');
            for (const m of html.matchAll(
              /<code>(fleetMonitoring\.[A-Za-z.[\]]+)<\/code>/g,
            )) {
              if (!known.has(m[1]))
                stale.push(`${path.relative(site, full)}: ${m[1]}`);
            }
          }
        }
      };
      walk(site);
      expect(stale).toEqual([]);
    });
  });

  it('does not repeat the chart key that renders a full server as the way to get an agent', () => {
    const html = htmlOf(site, 'references/helm-charts');
    for (const key of [
      'server.defaultFlagsOverride',
      '--enable-feature=agent',
      'rule_files: []',
      'prometheus.agentMode',
    ]) {
      expect(html).toContain(key);
    }
    // The reference's key may only appear in the warning that explains it does not exist.
    const yamlBlocks = [...html.matchAll(/<pre[\s\S]*?<\/pre>/g)].map(
      m => m[0],
    );
    for (const block of yamlBlocks)
      expect(block).not.toContain('enableAgentMode');
  });
});
