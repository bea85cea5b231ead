/**
 * The GitOps repository as the lint reads it: files by path, parsed once, grouped into the
 * component directories of the layout (`deploy/base/<component>`, `deploy/overlays/<cluster>/<component>`).
 */
import YAML from 'yaml';

/** A parsed file: its documents, or why it does not parse. */
export type Parsed = { docs: unknown[] } | { error: string };

export const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const PARSED_EXTENSIONS = /\.(ya?ml|json)$/;

/** Repository files with memoised parsing (YAML streams; JSON for `.json`). */
export class RepositoryFiles {
  private readonly parsed = new Map<string, Parsed>();
  readonly files: Map<string, string>;

  constructor(files: Map<string, string> | Record<string, string>) {
    this.files = files instanceof Map ? files : new Map(Object.entries(files));
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** Every path the lint parses (YAML and JSON under deploy/). */
  parsedPaths(): string[] {
    return [...this.files.keys()]
      .filter(p => p.startsWith('deploy/') && PARSED_EXTENSIONS.test(p))
      .sort();
  }

  parse(path: string): Parsed | undefined {
    const text = this.files.get(path);
    if (text === undefined) return undefined;
    let result = this.parsed.get(path);
    if (!result) {
      result = parseText(path, text);
      this.parsed.set(path, result);
    }
    return result;
  }

  /** The documents of a file; empty when it is missing or does not parse (reported apart). */
  docs(path: string): unknown[] {
    const p = this.parse(path);
    return p && 'docs' in p ? p.docs : [];
  }
}

function parseText(path: string, text: string): Parsed {
  if (path.endsWith('.json')) {
    try {
      return { docs: [JSON.parse(text)] };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }
  try {
    const docs = YAML.parseAllDocuments(text);
    const bad = docs.find(d => d.errors.length);
    if (bad) return { error: bad.errors[0].message };
    return {
      docs: docs.map(d => d.toJSON() as unknown).filter(d => d !== null),
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** A directory of the layout with a component in it. */
export interface ComponentDir {
  /** `deploy/base/x` or `deploy/overlays/<cluster>/x`. */
  dir: string;
  component: string;
  /** Set for overlays. */
  cluster?: string;
}

/**
 * Component directories of the repository, and files that sit where no component can be
 * (directly in deploy/overlays/ or in a cluster's directory).
 */
export function componentDirs(repo: RepositoryFiles): {
  dirs: ComponentDir[];
  misplaced: string[];
} {
  const dirs = new Map<string, ComponentDir>();
  const misplaced: string[] = [];
  for (const path of [...repo.files.keys()].sort()) {
    const overlay = /^deploy\/overlays\/([^/]+)\/([^/]+)\/.+$/.exec(path);
    const base = /^deploy\/base\/([^/]+)\/.+$/.exec(path);
    if (overlay) {
      const dir = `deploy/overlays/${overlay[1]}/${overlay[2]}`;
      if (!dirs.has(dir))
        dirs.set(dir, { dir, component: overlay[2], cluster: overlay[1] });
    } else if (base) {
      const dir = `deploy/base/${base[1]}`;
      if (!dirs.has(dir)) dirs.set(dir, { dir, component: base[1] });
    } else if (path.startsWith('deploy/overlays/')) {
      misplaced.push(path);
    }
  }
  return { dirs: [...dirs.values()], misplaced };
}

/** POSIX join of a directory and a relative path, '.' and '..' resolved; undefined above the root. */
export function joinPath(dir: string, relative: string): string | undefined {
  if (relative.startsWith('/')) return undefined;
  const parts = dir.split('/').filter(Boolean);
  for (const seg of relative.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!parts.length) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/** Plain deep merge of chart values (later wins; arrays replaced), as Helm merges values files. */
export function mergeValues(a: unknown, b: unknown): unknown {
  if (!isObject(a) || !isObject(b)) return b === undefined ? a : b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = mergeValues(a[k], v);
  return out;
}
