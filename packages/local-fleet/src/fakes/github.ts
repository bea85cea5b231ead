import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { closeServer, listenOnLoopback } from './loopbackServer';

/**
 * The part of GitHub's REST API that Backstage calls on a GitOps repository, in the shapes GitHub
 * documents (docs.github.com/rest):
 *
 * - Reads, as `@backstage/backend-defaults` GithubUrlReader.getRepoDetails/doReadTree make them for
 *   the scaffolder's `fetch:plain` of a `.../tree/<ref>/<path>` URL: `GET /repos/{owner}/{repo}`
 *   (`default_branch`), `GET /repos/{owner}/{repo}/commits/{ref}/status` (the combined status:
 *   `sha` and the `repository` with its `archive_url` template) and the tarball of that commit,
 *   whose entries sit under one `<owner>-<repo>-<sha>/` directory as on GitHub.
 * - Writes, as `publish:github:pull-request` (@backstage/plugin-scaffolder-backend-module-github
 *   0.10, through octokit-plugin-create-pull-request 5.1) makes them, in its order: the repository
 *   (its `permissions`; without `x-oauth-scopes` the client never forks), `GET .../commits?sha=<base>&per_page=1`,
 *   `POST .../git/blobs` (base64 or utf-8), `POST .../git/trees` (`base_tree` plus blob entries by
 *   `sha` or `content`; `sha: null` deletes), `POST .../git/commits`, `POST /graphql` (the plugin's
 *   one query: does the head branch exist, with an open pull request), `POST .../git/refs` or
 *   `PATCH .../git/refs/heads/{branch}`, `POST .../pulls`. Writes need a token of `tokens`
 *   (401 `Requires authentication` / `Bad credentials` otherwise); a known base, tree, parent or
 *   branch is checked as GitHub does (422 with its message).
 *
 * Anything else answers 404 like GitHub does for an unknown route or repository. Pull requests are
 * kept with the files of their head commit, for tests to read what would be merged.
 */
export interface GithubFakeRepo {
  owner: string;
  repo: string;
  branch?: string;
  /** path -> content */
  files: Record<string, string>;
}

/** A pull request the fake holds: what was asked and the files of its head commit. */
export interface GithubFakePullRequest {
  owner: string;
  repo: string;
  number: number;
  title: string;
  body: string | null;
  /** Branch name (without the `owner:` prefix). */
  head: string;
  base: string;
  draft: boolean;
  headSha: string;
  baseSha: string;
  /** Every file of the head commit: path -> content. */
  files: Record<string, string>;
  /** Paths whose content differs from the base branch (added, changed or deleted). */
  changed: string[];
}

export interface GithubFakeOptions {
  /** Tokens accepted on writes (`Authorization: token <t>` or `Bearer <t>`). */
  tokens?: string[];
}

/** One repository's git objects: trees as flat path -> blob sha maps, commits, branches. */
interface RepoState {
  blobs: Map<string, Buffer>;
  trees: Map<string, Map<string, string>>;
  commits: Map<string, { tree: string; parents: string[]; message: string }>;
  branches: Map<string, string>;
  pulls: GithubFakePullRequest[];
}

const gitSha = (kind: string, body: Buffer | string) =>
  crypto
    .createHash('sha1')
    .update(`${kind} ${Buffer.byteLength(body)}\0`)
    .update(body)
    .digest('hex');

const FILE_MODES = new Set(['100644', '100755', '120000']);

export class GithubFake {
  private server?: http.Server;
  port = 0;
  readonly requests: string[] = [];
  private readonly state = new Map<GithubFakeRepo, RepoState>();

  constructor(
    private readonly repos: GithubFakeRepo[],
    private readonly options: GithubFakeOptions = {},
  ) {}

  /** The pull requests opened on the fake, oldest first. */
  pullRequests(): GithubFakePullRequest[] {
    return [...this.state.values()].flatMap(s => s.pulls);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    const started = await listenOnLoopback(
      port,
      (req, res) => this.handle(req, res),
      (res, err) => {
        if (!res.headersSent)
          res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(err) }));
      },
    );
    this.server = started.server;
    this.port = started.port;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  private sha(r: GithubFakeRepo): string {
    return crypto
      .createHash('sha1')
      .update(JSON.stringify(r.files))
      .digest('hex');
  }

  private repoJson(r: GithubFakeRepo) {
    const base = `${this.url}/repos/${r.owner}/${r.repo}`;
    return {
      name: r.repo,
      full_name: `${r.owner}/${r.repo}`,
      owner: { login: r.owner, type: 'Organization' },
      private: true,
      html_url: `https://github.com/${r.owner}/${r.repo}`,
      url: base,
      // What the token may do; octokit-plugin-create-pull-request refuses to write without it.
      permissions: {
        admin: false,
        maintain: false,
        push: true,
        triage: true,
        pull: true,
      },
      default_branch: r.branch ?? 'main',
      archive_url: `${base}/{archive_format}{/ref}`,
      trees_url: `${base}/git/trees{/sha}`,
    };
  }

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}`);
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const r = m && this.repos.find(x => x.owner === m[1] && x.repo === m[2]);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const notFound = () =>
      json(404, {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
      });
    if (req.method === 'POST' && url.pathname === '/graphql')
      return this.graphql(req, json);
    if (!m || !r) return notFound();
    const rest = m[3] ?? '';
    if (req.method !== 'GET')
      return this.write(req, r, req.method ?? '', rest, json, notFound);
    if (rest === '/commits') return this.listCommits(r, url, json);
    const raw = (content: string) => {
      res.writeHead(200, { 'content-type': 'application/vnd.github.raw' });
      res.end(content);
    };
    if (this.readWritten(r, rest, url, json, raw, req.headers.accept))
      return undefined;
    const branch = r.branch ?? 'main';
    if (rest === '') return json(200, this.repoJson(r));
    const status = /^\/commits\/([^/]+)\/status$/.exec(rest);
    if (status) {
      if (status[1] !== branch && status[1] !== this.sha(r))
        return json(422, { message: `No commit found for SHA: ${status[1]}` });
      return json(200, {
        state: 'pending',
        statuses: [],
        sha: this.sha(r),
        total_count: 0,
        repository: this.repoJson(r),
      });
    }
    const tarball = /^\/tarball\/([0-9a-f]{40})$/.exec(rest);
    if (tarball && tarball[1] === this.sha(r)) {
      res.writeHead(200, { 'content-type': 'application/x-gzip' });
      res.end(await this.tarball(r));
      return undefined;
    }
    return notFound();
  }

  /** The repository's git objects, starting from one commit holding `files` on its branch. */
  private repoState(r: GithubFakeRepo): RepoState {
    let st = this.state.get(r);
    if (st) return st;
    const blobs = new Map<string, Buffer>();
    const tree = new Map<string, string>();
    for (const [file, content] of Object.entries(r.files)) {
      const sha = gitSha('blob', content);
      blobs.set(sha, Buffer.from(content));
      tree.set(file, sha);
    }
    const treeSha = this.treeSha(tree);
    st = {
      blobs,
      trees: new Map([[treeSha, tree]]),
      commits: new Map([
        [this.sha(r), { tree: treeSha, parents: [], message: 'Initial' }],
      ]),
      branches: new Map([[r.branch ?? 'main', this.sha(r)]]),
      pulls: [],
    };
    this.state.set(r, st);
    return st;
  }

  private treeSha(tree: Map<string, string>): string {
    return gitSha('tree', JSON.stringify([...tree].sort()));
  }

  /** A branch name or a commit sha, as `GET .../commits?sha=` takes either. */
  private commitOf(st: RepoState, ref: string): string | undefined {
    return st.branches.get(ref) ?? (st.commits.has(ref) ? ref : undefined);
  }

  private filesOf(st: RepoState, commit: string): Record<string, string> {
    const tree = st.trees.get(st.commits.get(commit)!.tree)!;
    return Object.fromEntries(
      [...tree].map(([p, sha]) => [p, st.blobs.get(sha)!.toString('utf8')]),
    );
  }

  private listCommits(
    r: GithubFakeRepo,
    url: URL,
    json: (status: number, body: unknown) => void,
  ) {
    const st = this.repoState(r);
    const start = this.commitOf(
      st,
      url.searchParams.get('sha') ?? r.branch ?? 'main',
    );
    if (!start) return json(404, { message: 'Not Found' });
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const out = [];
    for (let c: string | undefined = start; c && out.length < perPage;) {
      const commit: { tree: string; parents: string[]; message: string } =
        st.commits.get(c)!;
      out.push(this.commitJson(r, c, commit));
      c = commit.parents[0];
    }
    return json(200, out);
  }

  private commitJson(
    r: GithubFakeRepo,
    sha: string,
    c: { tree: string; parents: string[]; message: string },
  ) {
    const base = `${this.url}/repos/${r.owner}/${r.repo}`;
    return {
      sha,
      url: `${base}/commits/${sha}`,
      html_url: `https://github.com/${r.owner}/${r.repo}/commit/${sha}`,
      commit: {
        message: c.message,
        tree: { sha: c.tree, url: `${base}/git/trees/${c.tree}` },
      },
      parents: c.parents.map(p => ({ sha: p, url: `${base}/commits/${p}` })),
    };
  }

  /** 401 as GitHub answers a write without (or with an unknown) token; undefined when allowed. */
  private unauthorized(req: http.IncomingMessage): string | undefined {
    const auth = req.headers.authorization;
    if (!auth) return 'Requires authentication';
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1];
    const tokens = this.options.tokens;
    if (!token || (tokens && !tokens.includes(token))) return 'Bad credentials';
    return undefined;
  }

  private async write(
    req: http.IncomingMessage,
    r: GithubFakeRepo,
    method: string,
    rest: string,
    json: (status: number, body: unknown) => void,
    notFound: () => void,
  ): Promise<void> {
    const denied = this.unauthorized(req);
    if (denied)
      return json(401, {
        message: denied,
        documentation_url: 'https://docs.github.com/rest',
      });
    let body: any;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
    } catch {
      return json(400, { message: 'Problems parsing JSON' });
    }
    const st = this.repoState(r);
    const invalid = (message: string) =>
      json(422, {
        message,
        documentation_url: 'https://docs.github.com/rest',
      });
    const base = `${this.url}/repos/${r.owner}/${r.repo}`;
    if (method === 'POST' && rest === '/git/blobs') {
      if (typeof body.content !== 'string')
        return invalid('Invalid request.\n\n"content" wasn\'t supplied.');
      const encoding = body.encoding ?? 'utf-8';
      if (encoding !== 'utf-8' && encoding !== 'base64')
        return invalid(`encoding must be utf-8 or base64, not ${encoding}`);
      const content = Buffer.from(
        body.content,
        encoding === 'base64' ? 'base64' : 'utf8',
      );
      const sha = gitSha('blob', content);
      st.blobs.set(sha, content);
      return json(201, { sha, url: `${base}/git/blobs/${sha}` });
    }
    if (method === 'POST' && rest === '/git/trees') {
      if (!Array.isArray(body.tree))
        return invalid('Invalid request.\n\n"tree" wasn\'t supplied.');
      const from = body.base_tree ? st.trees.get(body.base_tree) : new Map();
      if (!from) return invalid('base_tree is not a valid tree oid');
      const tree = new Map(from as Map<string, string>);
      for (const e of body.tree) {
        if (typeof e?.path !== 'string' || !FILE_MODES.has(e.mode))
          return invalid(
            `tree entry ${JSON.stringify(e?.path)}: only blob entries (mode 100644, 100755, 120000) are held by this fake`,
          );
        if (e.sha === null) {
          if (!tree.delete(e.path))
            return invalid(`GitRPC::BadObjectState: ${e.path} does not exist`);
        } else if (typeof e.content === 'string') {
          const sha = gitSha('blob', e.content);
          st.blobs.set(sha, Buffer.from(e.content));
          tree.set(e.path, sha);
        } else if (typeof e.sha === 'string' && st.blobs.has(e.sha)) {
          tree.set(e.path, e.sha);
        } else {
          return invalid(`tree.sha ${e.sha} is not a valid blob`);
        }
      }
      const sha = this.treeSha(tree);
      st.trees.set(sha, tree);
      return json(201, {
        sha,
        url: `${base}/git/trees/${sha}`,
        truncated: false,
        tree: [...tree].map(([p, blob]) => ({
          path: p,
          mode: '100644',
          type: 'blob',
          sha: blob,
          size: st.blobs.get(blob)!.length,
          url: `${base}/git/blobs/${blob}`,
        })),
      });
    }
    if (method === 'POST' && rest === '/git/commits') {
      if (typeof body.message !== 'string')
        return invalid('Invalid request.\n\n"message" wasn\'t supplied.');
      if (!st.trees.has(body.tree)) return invalid('Tree SHA does not exist');
      const parents: string[] = body.parents ?? [];
      if (parents.some(p => !st.commits.has(p)))
        return invalid('Parent SHA does not exist or is not a commit object');
      const commit = { tree: body.tree, parents, message: body.message };
      const sha = gitSha('commit', JSON.stringify({ ...commit, body }));
      st.commits.set(sha, commit);
      return json(201, {
        sha,
        url: `${base}/git/commits/${sha}`,
        html_url: `https://github.com/${r.owner}/${r.repo}/commit/${sha}`,
        message: commit.message,
        tree: { sha: commit.tree, url: `${base}/git/trees/${commit.tree}` },
        parents: parents.map(p => ({
          sha: p,
          url: `${base}/git/commits/${p}`,
        })),
        author: body.author ?? null,
        committer: body.committer ?? body.author ?? null,
      });
    }
    const refJson = (name: string, sha: string) => ({
      ref: `refs/heads/${name}`,
      url: `${base}/git/refs/heads/${name}`,
      object: { sha, type: 'commit', url: `${base}/git/commits/${sha}` },
    });
    if (method === 'POST' && rest === '/git/refs') {
      const name = /^refs\/heads\/(.+)$/.exec(body.ref ?? '')?.[1];
      if (!name)
        return invalid(
          'Reference name must start with refs/ and have at least two slashes.',
        );
      if (!st.commits.has(body.sha)) return invalid('Object does not exist');
      if (st.branches.has(name)) return invalid('Reference already exists');
      st.branches.set(name, body.sha);
      return json(201, refJson(name, body.sha));
    }
    const patchRef = /^\/git\/refs\/heads\/(.+)$/.exec(rest);
    if (method === 'PATCH' && patchRef) {
      const name = decodeURIComponent(patchRef[1]);
      if (!st.branches.has(name)) return invalid('Reference does not exist');
      if (!st.commits.has(body.sha)) return invalid('Object does not exist');
      st.branches.set(name, body.sha);
      return json(200, refJson(name, body.sha));
    }
    if (method === 'POST' && rest === '/pulls') {
      const head = String(body.head ?? '').replace(/^[^:]+:/, '');
      const baseRef = String(body.base ?? '');
      const failed = (field: string, code: string, message?: string) =>
        json(422, {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'PullRequest',
              field,
              code,
              ...(message && { message }),
            },
          ],
          documentation_url:
            'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
        });
      if (typeof body.title !== 'string' || body.title === '')
        return failed('title', 'missing_field');
      if (!st.branches.has(baseRef)) return failed('base', 'invalid');
      if (!st.branches.has(head)) return failed('head', 'invalid');
      if (
        st.pulls.some(
          p => p.owner === r.owner && p.repo === r.repo && p.head === head,
        )
      )
        return failed(
          'head',
          'custom',
          `A pull request already exists for ${r.owner}:${head}.`,
        );
      const headSha = st.branches.get(head)!;
      const baseSha = st.branches.get(baseRef)!;
      const files = this.filesOf(st, headSha);
      const before = this.filesOf(st, baseSha);
      const number = this.pullRequests().length + 1;
      const pr: GithubFakePullRequest = {
        owner: r.owner,
        repo: r.repo,
        number,
        title: body.title,
        body: body.body ?? null,
        head,
        base: baseRef,
        draft: Boolean(body.draft),
        headSha,
        baseSha,
        files,
        changed: [...new Set([...Object.keys(files), ...Object.keys(before)])]
          .filter(p => files[p] !== before[p])
          .sort(),
      };
      st.pulls.push(pr);
      return json(201, this.pullJson(r, pr));
    }
    return notFound();
  }

  /** A pull request as GitHub's REST API shows it (the fields our clients and tests read). */
  private pullJson(r: GithubFakeRepo, pr: GithubFakePullRequest) {
    const side = (ref: string, sha: string) => ({
      label: `${r.owner}:${ref}`,
      ref,
      sha,
      repo: this.repoJson(r),
    });
    return {
      url: `${this.url}/repos/${r.owner}/${r.repo}/pulls/${pr.number}`,
      html_url: `https://github.com/${r.owner}/${r.repo}/pull/${pr.number}`,
      number: pr.number,
      state: 'open',
      title: pr.title,
      body: pr.body,
      draft: pr.draft,
      head: side(pr.head, pr.headSha),
      base: side(pr.base, pr.baseSha),
    };
  }

  /**
   * Reads of what was written: `GET .../pulls` (open ones, newest first), `GET .../pulls/{n}/files`
   * (`filename`, `status`) and `GET .../contents/{path}?ref=` (a file, base64; itself with the raw
   * media type), as GitHub answers.
   */
  private readWritten(
    r: GithubFakeRepo,
    rest: string,
    url: URL,
    json: (status: number, body: unknown) => void,
    /** Answers a request for a `.raw` media type (`accept`) with the file itself. */
    raw?: (content: string) => void,
    accept = '',
  ): boolean {
    const st = this.repoState(r);
    if (rest === '/pulls') {
      json(
        200,
        [...st.pulls].reverse().map(pr => this.pullJson(r, pr)),
      );
      return true;
    }
    const files = /^\/pulls\/(\d+)\/files$/.exec(rest);
    if (files) {
      const pr = st.pulls.find(p => p.number === Number(files[1]));
      if (!pr) return false;
      const before = this.filesOf(st, pr.baseSha);
      json(
        200,
        pr.changed.map(filename => {
          let status = 'modified';
          if (!(filename in before)) status = 'added';
          else if (!(filename in pr.files)) status = 'removed';
          return { filename, status };
        }),
      );
      return true;
    }
    const contents = /^\/contents\/(.+)$/.exec(rest);
    if (contents) {
      const commit = this.commitOf(
        st,
        url.searchParams.get('ref') ?? r.branch ?? 'main',
      );
      const file = decodeURIComponent(contents[1]);
      const content = commit ? this.filesOf(st, commit)[file] : undefined;
      if (content === undefined) return false;
      // The raw media type (what GithubUrlReader.readUrl asks for) is the file itself.
      if (raw && /\.raw\b/.test(accept)) {
        raw(content);
        return true;
      }
      json(200, {
        type: 'file',
        encoding: 'base64',
        path: file,
        name: file.split('/').pop(),
        size: Buffer.byteLength(content),
        sha: gitSha('blob', content),
        content: Buffer.from(content).toString('base64'),
      });
      return true;
    }
    return false;
  }

  /**
   * GitHub's GraphQL endpoint for the one query octokit-plugin-create-pull-request sends: whether
   * the head branch (`ref(qualifiedName: $head)`) exists and has an open pull request.
   */
  private async graphql(
    req: http.IncomingMessage,
    json: (status: number, body: unknown) => void,
  ): Promise<void> {
    const denied = this.unauthorized(req);
    if (denied) return json(401, { message: denied });
    const { query, variables } = JSON.parse(
      (await readBody(req)).toString('utf8') || '{}',
    );
    const r = this.repos.find(
      x => x.owner === variables?.owner && x.repo === variables?.repo,
    );
    if (typeof query !== 'string' || !/ref\(qualifiedName:/.test(query))
      return json(200, {
        errors: [{ message: 'this fake answers only the head-branch query' }],
      });
    if (!r)
      return json(200, {
        data: { repository: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['repository'],
            message: `Could not resolve to a Repository with the name '${variables?.owner}/${variables?.repo}'.`,
          },
        ],
      });
    const st = this.repoState(r);
    const head = String(variables.head ?? '');
    if (!st.branches.has(head))
      return json(200, { data: { repository: { ref: null } } });
    const open = st.pulls.filter(p => p.head === head);
    return json(200, {
      data: {
        repository: {
          ref: {
            associatedPullRequests: {
              edges: open.map(p => ({
                node: {
                  id: `PR_${p.number}`,
                  number: p.number,
                  url: `https://github.com/${p.owner}/${p.repo}/pull/${p.number}`,
                },
              })),
            },
          },
        },
      },
    });
  }

  /** The newest tarball of each repository: built once per commit, as GitHub serves a stored one. */
  private readonly tarballs = new Map<
    GithubFakeRepo,
    { sha: string; built: Promise<Buffer> }
  >();

  private tarball(r: GithubFakeRepo): Promise<Buffer> {
    const sha = this.sha(r);
    const held = this.tarballs.get(r);
    if (held?.sha === sha) return held.built;
    const built = this.buildTarball(r);
    this.tarballs.set(r, { sha, built });
    built.catch(() => this.tarballs.delete(r));
    return built;
  }

  private async buildTarball(r: GithubFakeRepo): Promise<Buffer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'github-fake-'));
    const top = `${r.owner}-${r.repo}-${this.sha(r).slice(0, 7)}`;
    try {
      for (const [file, content] of Object.entries(r.files)) {
        const target = path.join(dir, top, file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
      }
      const chunks: Buffer[] = [];
      const stream = tar.create({ gzip: true, cwd: dir, portable: true }, [
        top,
      ]);
      for await (const chunk of stream as AsyncIterable<Buffer>)
        chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
