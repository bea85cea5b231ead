/**
 * Test helpers: render generated overlays with the real kustomize (kubectl kustomize --enable-helm) and
 * helm v3, against the local test charts in src/__fixtures__/charts, and check Prometheus configs with
 * the real promtool. Nothing here touches the network.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const FIXTURE_CHARTS = path.resolve(__dirname, '../__fixtures__/charts');

let helmPath: string | undefined;
/** Runs scripts/ensure-helm.mjs (extracts helm from the aws-cdk kubectl layer once) and returns the binary path. */
export function ensureHelm(): string {
  if (!helmPath) {
    const out = execFileSync(
      process.execPath,
      [path.join(REPO_ROOT, 'scripts/ensure-helm.mjs')],
      {
        encoding: 'utf8',
      },
    );
    helmPath = out.trim();
  }
  return helmPath;
}

export function makeTempDir(prefix = 'fleet-scaffolder-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string) {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Copies the generated tree to a temp dir, places the test chart where kustomize looks for it
 * (`charts/<name>-<version>/<name>/` next to each kustomization with helmCharts), renders `dir`
 * and returns the parsed documents. The generated files themselves never reference test charts.
 */
export function renderWithKustomize(workspace: string, dir: string): any[] {
  const tmp = makeTempDir('fleet-render-');
  try {
    fs.cpSync(workspace, tmp, { recursive: true });
    placeTestCharts(tmp);
    const res = spawnSync(
      'kubectl',
      [
        'kustomize',
        '--enable-helm',
        `--helm-command=${ensureHelm()}`,
        path.join(tmp, dir),
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (res.status !== 0) {
      throw new Error(
        `kubectl kustomize ${dir} failed (${res.status}): ${res.stderr}`,
      );
    }
    return YAML.parseAllDocuments(res.stdout)
      .map(d => d.toJSON())
      .filter(Boolean);
  } finally {
    removeDir(tmp);
  }
}

function placeTestCharts(root: string) {
  for (const file of walk(root)) {
    if (path.basename(file) !== 'kustomization.yaml') continue;
    const k = YAML.parse(fs.readFileSync(file, 'utf8'));
    for (const chart of k?.helmCharts ?? []) {
      const src = path.join(FIXTURE_CHARTS, chart.name);
      if (!fs.existsSync(src))
        throw new Error(`no test chart for ${chart.name}`);
      const dest = path.join(
        path.dirname(file),
        'charts',
        `${chart.name}-${chart.version}`,
        chart.name,
      );
      fs.cpSync(src, dest, { recursive: true });
      stampChartVersion(path.join(dest, 'Chart.yaml'), chart.version);
    }
  }
}

/** App versions of the chart versions tests ask for (prometheus-community/helm-charts tags). */
const APP_VERSIONS: Record<string, string> = {
  'prometheus-25.11.0': 'v2.49.1',
  'prometheus-26.0.0': 'v3.0.0',
  'kube-prometheus-stack-58.0.0': 'v0.73.0',
};

/** The stand-in chart is one directory; give each copy the version (and app version) it stands in for. */
function stampChartVersion(chartYaml: string, version: string) {
  const chart = YAML.parse(fs.readFileSync(chartYaml, 'utf8'));
  const appVersion = APP_VERSIONS[`${chart.name}-${version}`];
  if (!appVersion)
    throw new Error(
      `no known app version for test chart ${chart.name} ${version}`,
    );
  fs.writeFileSync(
    chartYaml,
    YAML.stringify({ ...chart, version, appVersion }),
  );
}

function* walk(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

/** `promtool check config [--agent]` on the given config object; returns {ok, output}. */
export function promtoolCheck(
  config: unknown,
  agent: boolean,
  extraFiles: Record<string, string> = {},
) {
  const tmp = makeTempDir('fleet-promtool-');
  try {
    for (const [rel, content] of Object.entries(extraFiles)) {
      const p = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
    const file = path.join(tmp, 'prometheus.yml');
    fs.writeFileSync(file, YAML.stringify(config));
    const res = spawnSync(
      'promtool',
      ['check', 'config', ...(agent ? ['--agent'] : []), file],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    return { ok: res.status === 0, output: `${res.stdout}${res.stderr}` };
  } finally {
    removeDir(tmp);
  }
}

/** Reads every file of a workspace as {relativePath: content}. */
export function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of walk(root))
    out[path.relative(root, f).split(path.sep).join('/')] = fs.readFileSync(
      f,
      'utf8',
    );
  return out;
}

export const find = (docs: any[], kind: string, name?: string) =>
  docs.find(
    d => d.kind === kind && (name === undefined || d.metadata?.name === name),
  );

/** `promtool check rules` on a rule file's text; returns {ok, output}. */
export function promtoolCheckRules(text: string) {
  const tmp = makeTempDir('fleet-promtool-rules-');
  try {
    const file = path.join(tmp, 'rules.yaml');
    fs.writeFileSync(file, text);
    const res = spawnSync('promtool', ['check', 'rules', file], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { ok: res.status === 0, output: `${res.stdout}${res.stderr}` };
  } finally {
    removeDir(tmp);
  }
}
