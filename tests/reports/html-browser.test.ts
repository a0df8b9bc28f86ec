import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { cli } from '../engine/cli.js';

/** Debian's chromium (CI installs it in .ci/run); playwright-core downloads no browser of its own. */
const CHROMIUM = process.env.AZCONFORM_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.log(`browser test skipped: no Chromium at ${CHROMIUM} — install it with \`apt-get update && apt-get install -y chromium\` (or set AZCONFORM_CHROMIUM)`);

interface Summary {
  violations: { operation: string; apiVersion: string; check: string }[];
  operations: { id: string; apiVersion: string }[];
}

describe.skipIf(!haveChromium)('report.html in headless Chromium (a failing run against the emulator)', () => {
  let emu: Emulator;
  let browser: Browser;
  let page: Page;
  let summary: Summary;
  const requests: string[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ fault: ['accepts-days-before-expiry-over-validity', 'apim-missing-etag'] });
    const r = await cli(['run', '--target', emu.url, '--operations', 'UpdateCertificate,Certificate_CreateOrUpdate', '--runs', '20', '--seed', '7', '--no-restore']);
    expect(r.code).toBe(1);
    summary = JSON.parse(await readFile(path.join(r.reports, 'summary.json'), 'utf8')) as Summary;
    // Root in CI: Chromium's sandbox needs an unprivileged user, so it is turned off for this local file.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (req) => requests.push(req.url()));
    // Anything but the page itself is refused (and recorded above): the report must load nothing.
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(path.join(r.reports, 'report.html')).href);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await emu?.close();
  });

  it('shows the verdict, the tables and every violation with its curl', async () => {
    expect(summary.violations.length).toBeGreaterThanOrEqual(2);
    await expect(page.locator('h1 span.bad').textContent()).resolves.toBe(`${summary.violations.length} violation(s)`);
    expect(await page.locator('h1 span.bad').isVisible()).toBe(true);
    for (const o of summary.operations) {
      const row = page.locator('table').first().locator('tr', { hasText: o.id });
      expect(await row.isVisible()).toBe(true);
    }
    expect(await page.getByRole('heading', { name: 'Checks' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Statuses: documented × observed' }).isVisible()).toBe(true);
    const details = page.locator('details[data-verdict]');
    expect(await details.count()).toBe(summary.violations.length);
    for (let i = 0; i < summary.violations.length; i++) {
      const d = details.nth(i);
      if ((await d.getAttribute('open')) === null) await d.locator('summary').first().click();
      const curl = d.locator(':scope > pre');
      expect(await curl.isVisible()).toBe(true);
      expect(await curl.textContent()).toMatch(/curl -sS -i -X (PUT|PATCH) 'http:\/\/127\.0\.0\.1:/);
    }
  });

  it('filters by operation, check and verdict', async () => {
    const shown = (): Promise<number> => page.locator('details[data-verdict]:visible').count();
    const byOp = (op: string): number => summary.violations.filter((v) => `${v.operation}@${v.apiVersion}` === op).length;
    const ops = [...new Set(summary.violations.map((v) => `${v.operation}@${v.apiVersion}`))];
    expect(ops.length).toBe(2);
    for (const op of ops) {
      await page.selectOption('#f-op', op);
      expect(await shown()).toBe(byOp(op));
      await expect(page.locator('#f-count').textContent()).resolves.toBe(`${byOp(op)} violation(s) shown`);
      // The checks table follows the same filter.
      const rows = page.locator('tr[data-op]:visible');
      expect(await rows.count()).toBeGreaterThan(0);
      expect(new Set(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-op'))))).toEqual(new Set([op]));
    }
    await page.selectOption('#f-op', '');
    const check = summary.violations[0]?.check ?? expect.fail('no violation');
    await page.selectOption('#f-check', check);
    expect(await shown()).toBe(summary.violations.filter((v) => v.check === check).length);
    await page.selectOption('#f-check', '');
    await page.selectOption('#f-verdict', 'passed');
    expect(await shown()).toBe(0);
    const passed = page.locator('tr[data-verdict]:visible');
    expect(await passed.count()).toBeGreaterThan(0);
    expect(new Set(await passed.evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict'))))).toEqual(new Set(['passed']));
    await page.selectOption('#f-verdict', 'failed');
    expect(await shown()).toBe(summary.violations.length);
    await page.selectOption('#f-verdict', '');
    expect(await shown()).toBe(summary.violations.length);
  });

  it('loads nothing from the network, and keeps a screenshot under reports/', async () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await mkdir('reports', { recursive: true });
    const shot = path.join('reports', 'report-html.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await readFile(shot)).subarray(1, 4).toString()).toBe('PNG');
  });
});
