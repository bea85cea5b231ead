import fs from 'node:fs';
import path from 'node:path';

/** Absolute path of the repository root (the directory holding mkdocs.yml and catalog-info.yaml). */
// This private test package is never built, so __dirname is always packages/repo-tests/src.
// eslint-disable-next-line no-restricted-syntax
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export function readRepoFile(relative: string): string {
  return fs.readFileSync(path.join(repoRoot, relative), 'utf8');
}

/**
 * Every configuration key path declared in a Backstage `config.d.ts`, e.g.
 * `fleetMonitoring.thresholds.remoteWrite.lagWarningSeconds` or `fleetMonitoring.thanos[].baseUrl`.
 * Container keys (objects and arrays) are included. The parser handles the subset of TypeScript
 * that config schemas use: nested object literals, `Array<{ ... }>` and single-line types.
 */
export function configKeyPaths(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const stack: Array<string | null> = [];
  const paths: string[] = [];
  const current = (name: string) =>
    [...stack.filter((s): s is string => !!s), name].join('.');
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (/^export\s+interface\s+\w+\s*\{$/.test(line)) {
      stack.push(null);
      continue;
    }
    const prop = /^([A-Za-z_$][\w$]*)\??\s*:\s*(.*)$/.exec(line);
    if (prop) {
      const [, name, type] = prop;
      const opens = (type.match(/\{/g) ?? []).length;
      const closes = (type.match(/\}/g) ?? []).length;
      if (opens > closes) {
        const segment = /^Array\s*<\s*\{$/.test(type) ? `${name}[]` : name;
        paths.push(current(segment).replace(/\[\]$/, ''));
        stack.push(segment);
      } else {
        paths.push(current(name));
      }
      continue;
    }
    if (/^\}/.test(line)) {
      stack.pop();
    }
  }
  return paths;
}
