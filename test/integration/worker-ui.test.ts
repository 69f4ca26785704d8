/** The status page in a real headless Chromium (Debian's `chromium`, driven by playwright-core). */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, chromium } from 'playwright-core';
import { produce } from '../support/kafka-tools.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import type { Worker } from '../../src/worker/worker.js';
import { bootstrap, baseConnector, eventually, freshTopic } from '../support/harness.js';
import { call, startTestWorker, stateOf } from '../support/worker-client.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without a browser the test is skipped with a visible line, unless REQUIRE_BROWSER=1 (CI, which installs Chromium).
const SKIP = !existsSync(CHROMIUM) && process.env.REQUIRE_BROWSER !== '1';
const NO_BROWSER = `no Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH`;
// Straight to stderr: Jest prints no console output for a file whose tests are all skipped.
if (SKIP) process.stderr.write(`\nSKIPPED the status page's browser test: ${NO_BROWSER} (REQUIRE_BROWSER=1 makes this a failure)\n`);

(SKIP ? describe.skip : describe)(SKIP ? `status page (skipped: ${NO_BROWSER})` : 'status page', () => {
  let browser: Browser;
  let worker: Worker;
  let receiver: Receiver;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${NO_BROWSER} (REQUIRE_BROWSER=1)`);
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start; the page is our own, on 127.0.0.1.
    // The rest keep Chromium off the network (this machine refuses outside connections) and off the GPU; spelled out
    // rather than left to playwright's defaults.
    const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args, timeout: 60_000 });
    receiver = await startReceiver();
    worker = await startTestWorker();
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await receiver?.close();
  });

  it('lists a running connector with its rising count, and its Pause button pauses it', async () => {
    const topic = await freshTopic('ui', 1);
    const name = `ui_${topic}`;
    expect((await call(worker.url, 'POST', '/connectors', baseConnector(name, topic, receiver.url))).status).toBe(201);
    await produce(bootstrap(), topic, [{ key: '1', value: 'a' }, { key: '2', value: 'b' }]);

    const page = await browser.newPage();
    await page.goto(`${worker.url}/ui`, { timeout: 30_000 });
    const card = page.locator(`section[data-connector="${name}"]`);
    const delivered = card.locator('[data-testid="delivered"]');
    await card.locator('[data-testid="state"]', { hasText: 'RUNNING' }).waitFor({ timeout: 30_000 });
    await card.locator('[data-testid="delivered"]', { hasText: /^2$/ }).waitFor({ timeout: 30_000 });

    await produce(bootstrap(), topic, [{ key: '3', value: 'c' }, { key: '4', value: 'd' }, { key: '5', value: 'e' }]);
    await card.locator('[data-testid="delivered"]', { hasText: /^5$/ }).waitFor({ timeout: 30_000 }); // the count rises live
    // The records/s and requests/s chart: two lines once the rates have two samples (taken every 500 ms here).
    await card.locator('svg polyline').nth(1).waitFor({ timeout: 10_000 });
    expect(await card.locator('svg polyline').count()).toBe(2);
    expect(await card.locator('svg polyline').first().getAttribute('points')).toMatch(/^[\d.]+,[\d.]+( [\d.]+,[\d.]+)+$/);

    await card.locator('button[data-action="pause"]').click();
    await card.locator('[data-testid="state"]', { hasText: 'PAUSED' }).waitFor({ timeout: 10_000 });
    expect(await stateOf(worker.url, name)).toBe('PAUSED');
    await produce(bootstrap(), topic, [{ key: '6', value: 'f' }, { key: '7', value: 'g' }]);
    // The paused consumer sees the two new records (its lag in the page), and still nothing is delivered.
    await card.locator('[data-testid="lag"] td', { hasText: /^2$/ }).waitFor({ timeout: 20_000 });
    expect(receiver.accepted).toHaveLength(5);
    expect(await delivered.textContent()).toBe('5');

    await card.locator('button[data-action="resume"]').click();
    await card.locator('[data-testid="delivered"]', { hasText: /^7$/ }).waitFor({ timeout: 30_000 });
    await eventually(() => receiver.accepted.length === 7, 10_000, 'the two records after resume');
    await page.screenshot({ path: process.env.UI_SCREENSHOT ?? '/dev/null' }).catch(() => undefined);
    await page.close();
  });
});
