/**
 * What every dev-app e2e file shares: the tools it needs (Chromium, Prometheus), the polling helper,
 * and one session per file: `scripts/start.mjs`'s stack (one compiling stack at a time on the
 * machine, see devStack.ts) and a guest-signed-in Chromium page, stopped after the file with a
 * check that start.mjs left nothing running.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  acquireStackLock,
  DevStack,
  releaseStackLock,
  root,
  type Ready,
} from '../devStack';

/** Screenshots and timings land here. */
export const artifacts = path.join(root, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

const missing = [CHROMIUM, '/usr/bin/prometheus'].filter(
  p => !fs.existsSync(p),
);

/** `describe` when the tools are here (or E2E_REQUIRED=1, which then fails), else a skip with a message. */
export const describeIfTools =
  missing.length === 0 || process.env.E2E_REQUIRED ? describe : describe.skip;
if (missing.length > 0 && !process.env.E2E_REQUIRED) {
  // eslint-disable-next-line no-console
  console.warn(
    `e2e skipped: missing ${missing.join(', ')} (run npm run setup)`,
  );
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Polls `check` until it returns true; reloads nothing itself. */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 5000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for: ${what}`,
      );
    await sleep(everyMs);
  }
}

/** A started stack and its signed-in page; read its fields inside tests and hooks. */
export interface DevAppSession {
  readonly ready: Ready;
  readonly page: Page;
  /** Seconds from the stack's start to its ready line. */
  readonly startSeconds: number;
  /** A full-page screenshot into test-artifacts/. */
  shot(name: string): Promise<void>;
}

/**
 * Registers the file's beforeAll/afterAll: starts the dev stack, opens Chromium and signs in as
 * guest, as a user would; stops everything afterwards.
 */
export function useDevAppSession(): DevAppSession {
  let stack: DevStack | undefined;
  let browser: Browser | undefined;
  const s: {
    ready?: Ready;
    page?: Page;
    startSeconds: number;
  } = { startSeconds: 0 };
  const session: DevAppSession = {
    get ready() {
      if (!s.ready) throw new Error('the dev stack is not ready');
      return s.ready;
    },
    get page() {
      if (!s.page) throw new Error('the browser is not open');
      return s.page;
    },
    get startSeconds() {
      return s.startSeconds;
    },
    async shot(name: string) {
      await session.page.screenshot({
        path: path.join(artifacts, `${name}.png`),
        fullPage: true,
      });
    },
  };

  beforeAll(async () => {
    fs.mkdirSync(artifacts, { recursive: true });
    // One compiling stack at a time on the machine (see devStack.ts).
    await acquireStackLock();
    const t0 = Date.now();
    // The dev config validates every answer against the backend's OpenAPI document.
    stack = await DevStack.start();
    s.ready = await stack.ready(300_000);
    s.startSeconds = (Date.now() - t0) / 1000;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_FLAGS,
    });
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
    });
    page.setDefaultTimeout(60_000);
    await page.goto(s.ready.appUrl);
    // Guest sign-in, as a user would.
    await page.getByRole('button', { name: /enter/i }).click();
    await page.getByText('Catalog', { exact: false }).first().waitFor();
    s.page = page;
  }, 1_800_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    try {
      if (stack) {
        // start.mjs stops all it started and says so; a stop that leaves anything fails the suite.
        const stopped = await stack.stop(60_000);
        if (stopped.leftovers.length > 0 || stopped.stillListening.length > 0)
          throw new Error(
            `start.mjs left processes ${stopped.leftovers.map(p => `${p.pid} ${p.command}`).join(', ')} and ports ${stopped.stillListening.join(', ')}`,
          );
      }
    } finally {
      stack?.kill();
      releaseStackLock();
    }
  }, 90_000);

  return session;
}
