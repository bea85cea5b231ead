import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { closeServer, listenOnLoopback } from './loopbackServer';

/**
 * The part of GitHub's REST API that Backstage's GithubUrlReader calls to read a directory (what
 * the scaffolder's `fetch:plain` does with a `.../tree/<ref>/<path>` URL), in the shapes GitHub
 * documents: `GET /repos/{owner}/{repo}` (`default_branch`), `GET /repos/{owner}/{repo}/commits/{ref}/status`
 * (the combined status: `sha` and the `repository` with its `archive_url` template) and the
 * tarball of that commit, whose entries sit under one `<owner>-<repo>-<sha>/` directory as on
 * GitHub. Read by `@backstage/backend-defaults` GithubUrlReader.getRepoDetails/doReadTree.
 * Anything else answers 404 like GitHub does for an unknown route or repository.
 */
export interface GithubFakeRepo {
  owner: string;
  repo: string;
  branch?: string;
  /** path -> content */
  files: Record<string, string>;
}

export class GithubFake {
  private server?: http.Server;
  port = 0;
  readonly requests: string[] = [];

  constructor(private readonly repos: GithubFakeRepo[]) {}

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
    if (req.method !== 'GET' || !m || !r) return notFound();
    const rest = m[3] ?? '';
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

  private async tarball(r: GithubFakeRepo): Promise<Buffer> {
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
