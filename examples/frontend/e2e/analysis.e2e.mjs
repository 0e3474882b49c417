// In-browser analysis of MIT-BIH record 100: the WASM Monitor in a Web Worker must find exactly
// the beats of the native `vitalstream detect`, and the page must upload nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch } from './chromium.mjs';
import { DIST, MITDB, SCREENSHOTS, cliPath } from './config.mjs';
import { serveStatic } from './static-server.mjs';

const record = join(MITDB, '100');
const haveData = existsSync(`${record}.hea`) && existsSync(`${record}.dat`);
const cli = cliPath();
const skip = !haveData ? `MIT-BIH record 100 not found in ${MITDB} (set VITALSTREAM_MITDB)`
  : !cli ? 'native CLI not found (set VS_NATIVE_BUILD or VS_CLI)' : false;

let server;
let browser;
before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(DIST, 'index.html')), `production build missing in ${DIST} (ng build)`);
  server = await serveStatic(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

function cliBeats() {
  const out = mkdtempSync(join(tmpdir(), 'vs-e2e-cli-'));
  try {
    const run = spawnSync(cli, ['detect', record, '-o', join(out, '100.qrs')], { encoding: 'utf8' });
    assert.equal(run.status, 0, `vitalstream detect failed: ${run.stderr}`);
    const text = `${run.stdout}${run.stderr}`; // the summary line goes to stderr
    const m = /: (\d+) beats in/.exec(text);
    assert.ok(m, `unexpected CLI output: ${text}`);
    return Number(m[1]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test('record 100 analysed in the browser gives the CLI beat count and uploads nothing', { skip, timeout: 240_000 }, async () => {
  const expected = cliBeats();
  const page = await browser.context.newPage();
  const sent = [];
  page.on('request', (req) => {
    if (req.method() !== 'GET' || req.postData()) sent.push(`${req.method()} ${req.url()}`);
  });
  const workerErrors = [];
  page.on('pageerror', (e) => workerErrors.push(String(e)));
  await page.goto(`${server.url}/analysis`);
  const input = page.getByTestId('file-input');
  assert.equal(await input.getAttribute('multiple'), '');
  await input.setInputFiles([`${record}.hea`, `${record}.dat`]);
  await page.getByTestId('analysis-progress').waitFor({ timeout: 30_000 }).catch(() => undefined);
  const count = page.getByTestId('analysis-beat-count');
  await count.waitFor({ timeout: 180_000 });
  const shown = Number((await count.textContent()).trim());
  assert.equal(shown, expected, `browser ${shown} beats, vitalstream detect ${expected}`);
  // Classes add up to the beats, and the trace is drawn.
  const classes = (await page.getByTestId('analysis-class-count').allTextContents()).map(Number);
  assert.equal(classes.reduce((a, b) => a + b, 0), expected);
  assert.deepEqual(sent, [], 'the analysis page sent data to a server');
  assert.deepEqual(workerErrors, []);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'analysis.png'), fullPage: true });
  await page.close();
});
