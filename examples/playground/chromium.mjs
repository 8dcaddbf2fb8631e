// Opens the playground in Debian's headless Chromium with puppeteer-core, for
// the test (test/playground.test.ts) and the benchmark (bench/playground.ts).
import puppeteer from 'puppeteer-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUT, buildPlayground } from './build.mjs';
import { serve } from './serve.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * Builds the playground, serves it on a free 127.0.0.1 port and opens it.
 * Every console error, page error and failed request is collected in `errors`.
 * Throws (never skips) when Chromium is missing.
 */
export async function openPlayground({ width = 1400, height = 1100 } = {}) {
  if (!existsSync(CHROMIUM))
    throw new Error('Chromium not found at ' + CHROMIUM + ': the playground is tested in Debian\'s chromium (apt-get install chromium; .ci/run installs it), or set CHROMIUM to its path');
  await buildPlayground({ quiet: true });
  const { server, url } = await serve(OUT, 0);
  const profile = mkdtempSync(join(tmpdir(), 'microlearn-chromium-'));
  const downloads = mkdtempSync(join(tmpdir(), 'microlearn-downloads-'));
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--user-data-dir=' + profile],
    });
  } catch (e) {
    server.close();
    throw e;
  }
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push('console: ' + m.text());
  });
  page.on('pageerror', (e) => errors.push('page error: ' + (e && e.message)));
  page.on('requestfailed', (r) => errors.push('request failed: ' + r.url()));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push('HTTP ' + r.status() + ': ' + r.url());
  });
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
  await page.goto(url, { waitUntil: 'load' });
  async function close() {
    await browser.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(downloads, { recursive: true, force: true });
  }
  return { browser, page, url, errors, downloads, close, version: await browser.version() };
}
