import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { RESULTS_DIR } from './apps.ts';

/** Debian's Chromium (apt-get install chromium); playwright's own browser download is not used. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface MobilePage {
  context: BrowserContext;
  page: Page;
  /** Page errors, console errors and failed requests, for failure messages. */
  problems: string[];
}

/** A fresh phone-sized context (no storage, so no session) with the page's troubles recorded. */
export async function openMobilePage(browser: Browser, url: string): Promise<MobilePage> {
  const context = await browser.newContext({
    viewport: { width: 375, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A failed load says which status but not which address: the location carries it.
    const at = message.location().url;
    if (message.type() === 'error') problems.push(`console: ${message.text()}${at ? ` (${at})` : ''}`);
  });
  page.on('requestfailed', (request) =>
    problems.push(`requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`),
  );
  await page.goto(url);
  return { context, page, problems };
}

/**
 * Loads `url` as a fresh document (a hash change alone leaves Taro's H5 router behind at times). Requests and
 * script loads in flight are cancelled by that navigation — the test's doing, not a fault of the app — so the
 * aborts it causes are not counted as problems; anything else still is.
 */
export async function loadAfresh(mobile: MobilePage, url: string): Promise<void> {
  const before = mobile.problems.length;
  await mobile.page.goto(url);
  await mobile.page.reload();
  const during = mobile.problems.splice(before);
  mobile.problems.push(...during.filter((p) => !(p.startsWith('requestfailed: ') && p.endsWith(' net::ERR_ABORTED'))));
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Waits for visible text, and on timeout says what the page showed instead and what went wrong. */
export async function expectText(mobile: MobilePage, text: string | RegExp, timeout = 15_000): Promise<void> {
  try {
    await mobile.page
      .getByText(text, { exact: typeof text === 'string' })
      .filter({ visible: true })
      .first()
      .waitFor({ state: 'visible', timeout });
  } catch (error) {
    const shown = await mobile.page
      .locator('body')
      .textContent()
      .catch(() => '(unreadable)');
    throw new Error(
      `Expected "${String(text)}" on ${mobile.page.url()}.\nPage text:\n${shown}\nProblems:\n${mobile.problems.join('\n') || '(none)'}\n${(error as Error).message}`,
    );
  }
}
