/**
 * Headless Chromium for the browser tests (Debian's `chromium`, driven by playwright-core): a fresh
 * profile per launch, no background networking; pages are opened and checked for console errors,
 * failed or external requests and their `svg[data-plot]` count, and a screenshot is written.
 * Without /usr/bin/chromium the tests skip with the reason, except under CI, where they fail.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** @returns a skip reason when Chromium is missing outside CI; throws under CI */
export function chromiumMissing(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const reason = `${CHROMIUM} not found: install it with scripts/ci/install-chromium.sh (apt-get install chromium)`;
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') throw new Error(`CI is set and ${reason}`);
  return reason;
}

/** A launched browser with its temporary profile. */
export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh --user-data-dir. */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'metatune-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a rendered page showed. */
export interface Rendered {
  readonly status: number | null;
  readonly plots: number;
  readonly plotNames: readonly string[];
  readonly errors: readonly string[];
  /** Requests to anything but the page's own origin (file:// for a report). */
  readonly foreignRequests: readonly string[];
  readonly screenshot: string;
  readonly screenshotBytes: number;
  readonly title: string;
}

/**
 * Opens `url`, waits for the load, takes a full-page screenshot into `screenshot`.
 */
export async function renderPage(browser: Browser, url: string, screenshot: string): Promise<Rendered> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  const foreign: string[] = [];
  const origin = url.startsWith('file:') ? 'file:' : new URL(url).origin;
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!(origin === 'file:' ? u.startsWith('file:') : u.startsWith(origin)) && !u.startsWith('data:')) foreign.push(u);
  });
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    const plotNames = await page.locator('svg[data-plot]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-plot') ?? ''));
    await page.screenshot({ path: screenshot, fullPage: true });
    return { status: response?.status() ?? null, plots: plotNames.length, plotNames, errors, foreignRequests: foreign, screenshot, screenshotBytes: statSync(screenshot).size, title: await page.title() };
  } finally {
    await page.close();
  }
}
