#!/usr/bin/env node
// Builds the handbook (mkdocs.yml + docs/) into a TechDocs local-publisher directory, the way
// `techdocs.builder: 'external'` expects it: the TechDocs backend only serves what is there.
//
//   node scripts/build-techdocs.mjs [PUBLISH_DIRECTORY]   (default .fleet-tmp/techdocs)
//
// scripts/start.mjs calls buildTechDocs() before Backstage starts and sets
// techdocs.publisher.local.publishDirectory to the same directory.
//
// Layout (read from @backstage/plugin-techdocs-node's LocalPublish): the site of entity
// namespace/kind/name lives in <publishDirectory>/<namespace>/<kind>/<name>/, triplet lowercased
// (unless techdocs.legacyUseCaseSensitiveTripletPaths), with index.html and techdocs_metadata.json
// at its top. The reader shows site_name/site_description from that file; techdocs-node's own
// generator also writes build_timestamp (ms), files (paths relative to the site) and etag.
// Those are normally written by the pip-only `techdocs-core` mkdocs plugin plus techdocs-node;
// neither runs here, so this script writes the file itself.
//
// The committed mkdocs.yml is never rewritten (techdocs-cli would rewrite it in place). mkdocs builds
// from a temporary config that INHERITs it and only sets `theme.font: false`: mkdocs-material
// otherwise links Google Fonts' stylesheet, and TechDocs keeps the page invisible (opacity 0) until
// every stylesheet fired `load`, so one unreachable font host (offline, proxies) hides the docs.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const defaultRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);

/** The catalog entity that owns the handbook (catalog-info.yaml: `backstage.io/techdocs-ref: dir:.`). */
export const HANDBOOK_ENTITY = {
  namespace: 'default',
  kind: 'system',
  name: 'fleet-monitoring',
};

const MKDOCS = process.env.MKDOCS_PATH || '/usr/bin/mkdocs';

function exec(command, args, options = {}) {
  return new Promise(resolve => {
    let child;
    try {
      child = spawn(command, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        ...options,
        // mkdocs 1.4 on Debian's Python prints harmless DeprecationWarnings from jinja2.
        env: { ...process.env, PYTHONWARNINGS: 'ignore', ...options.env },
      });
    } catch (error) {
      resolve({ code: -1, output: String(error) });
      return;
    }
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    child.on('error', error => resolve({ code: -1, output: String(error) }));
    child.on('close', code => resolve({ code, output }));
  });
}

/** site_name / site_description as mkdocs itself resolves them (folded scalars, defaults). */
async function readSiteInfo(configFile, mkdocsYml) {
  const python = fs
    .readFileSync(MKDOCS, 'utf8')
    .split('\n')[0]
    .replace(/^#!\s*/, '')
    .trim();
  const { code, output } = await exec(python.split(/\s+/)[0], [
    ...python.split(/\s+/).slice(1),
    '-c',
    [
      'import json, sys',
      'from mkdocs.config import load_config',
      'c = load_config(config_file=sys.argv[1])',
      "print(json.dumps({'site_name': c['site_name'], 'site_description': c['site_description']}))",
    ].join('\n'),
    configFile,
  ]);
  const line = output.trim().split('\n').pop() ?? '';
  if (code === 0 && line.startsWith('{')) return JSON.parse(line);
  // Fallback: the plain `site_name:` line.
  const name = /^site_name:\s*(.+)$/m.exec(fs.readFileSync(mkdocsYml, 'utf8'));
  return {
    site_name: name ? name[1].trim().replace(/^['"]|['"]$/g, '') : 'Docs',
    site_description: '',
  };
}

/** docs_dir of the committed mkdocs.yml (mkdocs' default: docs), relative to its folder. */
function docsDirOf(mkdocsYml) {
  const m = /^docs_dir:\s*(.+?)\s*$/m.exec(fs.readFileSync(mkdocsYml, 'utf8'));
  const dir = m ? m[1].replace(/^['"]|['"]$/g, '') : 'docs';
  return path.resolve(path.dirname(mkdocsYml), dir);
}

function listFiles(dir, base = dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(entry => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory()
        ? listFiles(full, base)
        : [path.relative(base, full).split(path.sep).join('/')];
    })
    .sort();
}

/**
 * Builds the handbook for TechDocs' local publisher.
 * Returns { ok: true, siteDir, seconds } or { ok: false, reason } (never throws for a missing or
 * failing mkdocs: the caller decides whether docs are optional).
 */
export async function buildTechDocs({
  root = defaultRoot,
  publishDirectory = path.join(defaultRoot, '.fleet-tmp', 'techdocs'),
  entity = HANDBOOK_ENTITY,
} = {}) {
  const t0 = Date.now();
  const mkdocsYml = path.join(root, 'mkdocs.yml');
  if (!fs.existsSync(MKDOCS)) {
    return {
      ok: false,
      reason: `${MKDOCS} not found (install Debian's mkdocs and mkdocs-material: npm run setup, or apt-get install -y mkdocs mkdocs-material)`,
    };
  }
  if (!fs.existsSync(mkdocsYml))
    return { ok: false, reason: `${mkdocsYml} not found` };

  const siteDir = path.join(
    publishDirectory,
    entity.namespace.toLowerCase(),
    entity.kind.toLowerCase(),
    entity.name.toLowerCase(),
  );
  // Build next to the target and swap it in, so a running Backstage never serves a half-built site.
  fs.mkdirSync(path.dirname(siteDir), { recursive: true });
  const staging = `${siteDir}.building-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });

  // JSON is YAML. Paths absolute: relative ones would resolve against the temporary file.
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-techdocs-'));
  const techdocsYml = path.join(configDir, 'mkdocs.techdocs.yml');
  fs.writeFileSync(
    techdocsYml,
    `${JSON.stringify(
      {
        INHERIT: mkdocsYml,
        docs_dir: path.resolve(root, docsDirOf(mkdocsYml)),
        theme: { font: false },
      },
      null,
      2,
    )}\n`,
  );
  let build;
  let info;
  try {
    [build, info] = await Promise.all([
      exec(MKDOCS, ['build', '--strict', '-f', techdocsYml, '-d', staging], {
        cwd: root,
      }),
      readSiteInfo(techdocsYml, mkdocsYml),
    ]);
  } finally {
    fs.rmSync(configDir, { recursive: true, force: true });
  }
  if (build.code !== 0 || !fs.existsSync(path.join(staging, 'index.html'))) {
    fs.rmSync(staging, { recursive: true, force: true });
    return {
      ok: false,
      reason: `mkdocs build --strict failed (exit ${build.code}):\n${build.output.trim()}`,
    };
  }

  const files = [...listFiles(staging), 'techdocs_metadata.json'].sort();
  const etag = crypto.createHash('sha256');
  for (const file of files) {
    if (file === 'techdocs_metadata.json') continue;
    etag.update(file).update('\0');
    // sitemap.xml(.gz) carry the build date; leave them out so the etag follows the content.
    if (!file.startsWith('sitemap.xml'))
      etag.update(fs.readFileSync(path.join(staging, file)));
  }
  const metadata = {
    site_name: info.site_name,
    site_description: info.site_description ?? '',
    etag: etag.digest('hex').slice(0, 40),
    build_timestamp: Date.now(),
    files,
  };
  fs.writeFileSync(
    path.join(staging, 'techdocs_metadata.json'),
    `${JSON.stringify(metadata, null, 2)}\n`,
  );

  const old = `${siteDir}.old-${process.pid}`;
  if (fs.existsSync(siteDir)) fs.renameSync(siteDir, old);
  fs.renameSync(staging, siteDir);
  fs.rmSync(old, { recursive: true, force: true });
  return { ok: true, siteDir, seconds: (Date.now() - t0) / 1000 };
}

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  const publishDirectory = path.resolve(
    process.argv[2] ?? path.join(defaultRoot, '.fleet-tmp', 'techdocs'),
  );
  const result = await buildTechDocs({ publishDirectory });
  if (result.ok) {
    process.stdout.write(
      `TechDocs handbook built in ${result.seconds.toFixed(1)} s: ${result.siteDir}\n`,
    );
  } else {
    process.stderr.write(`TechDocs handbook not built: ${result.reason}\n`);
    process.exitCode = 1;
  }
}
