// The SDK in a real browser (Debian's Chromium, headless, driven by playwright-core): a member
// portal on its own origin logs a member in, reads their profile and balance, gets a typed
// error, and hears an earn on the real-time stream, against the real binary with CORS granted
// to the page's origin. Set SKIP_BROWSER=1 where no Chromium is installed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';

import { SbmClient } from '../dist/esm/index.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const skip = process.env.SKIP_BROWSER === '1' ? 'SKIP_BROWSER=1' : false;
const root = new URL('..', import.meta.url);
let page, browser, files, server, platform;

before(async () => {
  if (skip) return;
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install chromium, or SKIP_BROWSER=1)`);
  // The page's origin: a static server for test/browser.html and dist/.
  files = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const file = new URL(path === '/' ? 'test/browser.html' : `.${path}`, root);
    if (!file.pathname.startsWith(root.pathname) || !existsSync(file)) return res.writeHead(404).end();
    const type = path.endsWith('.js') ? 'text/javascript' : path.endsWith('.map') ? 'application/json' : 'text/html';
    res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  await new Promise((resolve) => files.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${files.address().port}`;
  server = spawn('python3', [new URL('../../testserver.py', import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, SDK_TEST_CORS_ORIGINS: origin },
  });
  platform = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`testserver exited with ${code}`)));
    createInterface({ input: server.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
  await page.goto(`${origin}/`);
});

after(async () => {
  await browser?.close();
  files?.close();
  server?.stdin.end();
});

test('a member portal in the browser: login, profile, balance, a typed error, the stream', { skip, timeout: 60_000 }, async () => {
  const seen = await page.evaluate(([base, code]) => window.member(base, code), [platform.baseUrl, `browser-${randomUUID()}`]);
  assert.equal(seen.me, seen.memberId);
  assert.equal(seen.balance, 0);
  assert.equal(typeof seen.rateLimit.remaining, 'number', 'the rate-limit headers are exposed to the page');
  assert.deepEqual(seen.refused, { typed: true, statusCode: 403, message: seen.refused.message });

  const heard = page.evaluate(() => window.firstEarn());
  const staff = new SbmClient({ baseUrl: platform.baseUrl });
  await staff.login(platform.adminEmail, platform.adminPassword);
  // The stream opens in the page; earn until the page hears it (its first connect may race the first earn).
  let event;
  for (let i = 1; !event && i <= 20; i++) {
    await staff.point.transactionsEarn({ body: { memberId: seen.memberId, points: i } });
    event = await Promise.race([heard, new Promise((resolve) => setTimeout(resolve, 500))]);
  }
  assert.ok(event, 'the page heard an earn');
  assert.equal(event.memberId, seen.memberId);
  assert.ok(event.points >= 1);
});
