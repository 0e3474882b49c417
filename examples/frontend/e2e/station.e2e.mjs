// End-to-end against the real stack (vitalstream-stack: PostgreSQL, Redis, workers, simulator,
// API serving this production build): login, live tiles, an alarm arriving and acknowledged,
// the report download, and screenshots of each view.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { contrastViolations } from './a11y.mjs';
import { launch } from './chromium.mjs';
import { SCREENSHOTS } from './config.mjs';
import { analyseRecord100, record100Unavailable } from './record100.mjs';
import { ADMIN_PASSWORD, api, apiToken, startStack, stackUnavailable } from './stack.mjs';

const PATIENTS = Number(process.env.VS_E2E_PATIENTS ?? 16);
const ALARM_WAIT_MS = Number(process.env.VS_E2E_ALARM_WAIT_MS ?? 180_000);
const skip = stackUnavailable();

let stack;
let browser;
let page;
let token;
let ackedAlarm;

before(async () => {
  if (skip) return;
  stack = await startStack(PATIENTS);
  token = await apiToken(stack.url);
  browser = await launch();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  mkdirSync(SCREENSHOTS, { recursive: true });
}, { timeout: 180_000 });

after(async () => {
  await browser?.close();
  await stack?.stop();
}, { timeout: 120_000 });

const shot = (name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

test('login as admin through the UI', { skip, timeout: 60_000 }, async () => {
  await page.goto(`${stack.url}/`);
  await page.getByTestId('login-username').waitFor();
  await shot('login');
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/station$/);
  // The access token stays in memory: nothing in web storage, the refresh cookie is HttpOnly.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!/eyJ/.test(stored), `token found in web storage: ${stored}`);
  assert.equal(await page.evaluate(() => document.cookie.includes('vs_refresh')), false);
  const cookies = await browser.context.cookies(`${stack.url}/api/auth/refresh`);
  const refresh = cookies.find((c) => c.name === 'vs_refresh');
  assert.ok(refresh, 'no refresh cookie');
  assert.equal(refresh.httpOnly, true);
  assert.ok(['Strict', 'Lax'].includes(refresh.sameSite));
});

test(`${PATIENTS} tiles draw live sweeping traces`, { skip, timeout: 120_000 }, async () => {
  const tiles = page.getByTestId('patient-tile');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="patient-tile"]').length >= n, PATIENTS,
    { timeout: 60_000 });
  assert.equal(await tiles.count(), PATIENTS);
  assert.equal(await page.locator('.grid canvas').count(), 1, 'all traces share one canvas');
  // Wait until every tile has data (HR shown or the sweep started), then compare two screenshots per tile.
  await page.waitForTimeout(6000);
  const boxes = [];
  for (let i = 0; i < PATIENTS; i++) boxes.push(await tiles.nth(i).locator('.trace').boundingBox());
  const grab = async () => Promise.all(boxes.map((b) => page.screenshot({ clip: b })));
  const first = await grab();
  await page.waitForTimeout(1500);
  const second = await grab();
  const unchanged = boxes.map((_, i) => i).filter((i) => first[i].equals(second[i]));
  assert.deepEqual(unchanged, [], `tiles whose trace did not change: ${unchanged.join(', ')}`);
  await shot('station');
});

test('an alarm arrives live and is acknowledged through the UI', { skip, timeout: ALARM_WAIT_MS + 60_000 }, async () => {
  const unacked = page.locator('[data-testid="alarm-item"][data-acknowledged="false"]');
  await unacked.first().waitFor({ timeout: ALARM_WAIT_MS });
  await shot('station-alarm');
  // The alarm sounds (Web Audio; the autoplay policy is lifted for the headless run).
  await page.waitForFunction(() => {
    const a = window.__vsAudio.state();
    return a.playing !== null && a.bursts > 0 && a.context === 'running';
  }, null, { timeout: 15_000 });
  const item = unacked.first();
  const id = Number(await item.getAttribute('data-alarm-id'));
  const before = await api(stack.url, token, '/api/alarms?state=active&page_size=200');
  assert.ok(before.items.some((a) => a.id === id), `alarm ${id} not active in /api/alarms`);
  // Screen readers hear it: the live region names the alarm.
  const announcer = page.getByTestId('alarm-announcer');
  assert.equal(await announcer.getAttribute('aria-live'), 'assertive');
  assert.match(await announcer.textContent(), /alarm: /); // new, or already active at login
  await item.getByTestId('alarm-ack').click();
  await page.locator(`[data-testid="alarm-item"][data-alarm-id="${id}"][data-acknowledged="true"]`)
    .or(page.locator(`[data-testid="alarm-item"][data-alarm-id="${id}"]`).filter({ hasNot: page.getByTestId('alarm-ack') }))
    .first().waitFor({ timeout: 15_000 });
  const afterList = await api(stack.url, token, '/api/alarms?state=active&page_size=200');
  assert.ok(!afterList.items.some((a) => a.id === id), `alarm ${id} still unacknowledged in /api/alarms`);
  ackedAlarm = before.items.find((a) => a.id === id);
});

test('keyboard reaches a tile and opens the patient; text contrast meets WCAG AA', { skip, timeout: 60_000 }, async () => {
  assert.deepEqual(await contrastViolations(page), [], 'station contrast');
  await page.locator('body').focus();
  let onTile = false;
  for (let i = 0; i < 40 && !onTile; i++) {
    await page.keyboard.press('Tab');
    onTile = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'patient-tile');
  }
  assert.ok(onTile, 'Tab never reached a patient tile');
  const id = await page.evaluate(() => document.activeElement.getAttribute('data-patient-id'));
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/patients/${id}$`));
  await page.getByTestId('report-download').first().waitFor({ timeout: 30_000 });
  assert.deepEqual(await contrastViolations(page), [], 'patient view contrast');
  await page.goBack();
  await page.waitForURL(/\/station/);
});

test('patient view shows the live trace and downloads the PDF report', { skip, timeout: 120_000 }, async () => {
  const patients = await api(stack.url, token, '/api/patients?page_size=200');
  const pid = ackedAlarm?.patient_id ?? patients.items[0].id;
  await page.goto(`${stack.url}/patients/${pid}`);
  // A reload: the session comes back through the refresh cookie (silent refresh).
  await page.getByTestId('report-download').first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(4000);
  await shot('patient');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 90_000 }),
    page.getByTestId('report-download').first().click(),
  ]);
  const path = await download.path();
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'report is not a PDF');
  assert.ok(bytes.length > 1000);
  await page.getByTestId('review-open').first().click();
  await page.getByTestId('review-trace').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(500);
  await page.getByTestId('review-trace').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'review.png'), fullPage: true });
});

test('record 100 analysed in the browser through the stack gives the CLI beat count', {
  skip: skip || record100Unavailable(), timeout: 240_000,
}, async () => {
  await analyseRecord100(page, stack.url, join(SCREENSHOTS, 'analysis.png'));
});

test('admin page lists users and patients; logout ends the session', { skip, timeout: 60_000 }, async () => {
  await page.goto(`${stack.url}/admin`);
  await page.getByTestId('admin-user').first().waitFor({ timeout: 20_000 });
  assert.ok(await page.getByTestId('admin-patient').count() >= PATIENTS);
  await shot('admin');
  assert.deepEqual(await contrastViolations(page), [], 'admin contrast');
  await page.getByTestId('logout').click();
  await page.waitForURL(/\/login$/);
  // Nothing of the session stays: no alarm listed or sounding.
  await page.waitForFunction(() => window.__vsAudio.state().playing === null, null, { timeout: 5000 });
  assert.equal(await page.getByTestId('alarm-item').count(), 0);
  await page.goto(`${stack.url}/station`);
  await page.waitForURL(/\/login$/, { timeout: 15_000 });
});
