// Opens the playground in Debian's headless Chromium with puppeteer-core, for
// the test (test/playground.test.ts) and the benchmark (bench/playground.ts).
import puppeteer from 'puppeteer-core';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUT, buildPlayground } from './build.mjs';
import { serve } from './serve.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * Builds the playground, serves it on a free 127.0.0.1 port and opens it.
 * Every console error, page error and failed request is collected in `errors`;
 * `nextDownload()` resolves with the next download Chromium completes.
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
  // Downloads are waited for by Chromium's own events, not by looking for a file: an earlier
  // download of the same name is already there (Chromium overwrites it), so its presence proves nothing.
  const names = new Map();
  const waiting = [];
  cdp.on('Browser.downloadWillBegin', (e) => names.set(e.guid, e.suggestedFilename));
  cdp.on('Browser.downloadProgress', (e) => {
    if (e.state !== 'completed' && e.state !== 'canceled') return;
    const w = waiting.shift();
    if (!w) return;
    const name = names.get(e.guid);
    if (e.state === 'canceled') w.reject(new Error('download ' + name + ' was canceled'));
    else w.resolve({ name, bytes: readFileSync(join(downloads, name)) });
  });
  /** The next download to complete after this call: its file name and bytes. */
  function nextDownload() {
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  }
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
  await page.goto(url, { waitUntil: 'load' });
  async function close() {
    await browser.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(downloads, { recursive: true, force: true });
  }
  return { browser, page, url, errors, downloads, nextDownload, close, version: await browser.version() };
}
