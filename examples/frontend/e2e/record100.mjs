// The in-browser analysis check shared by the tests with and without the stack: MIT-BIH record
// 100 opened in the analysis page must give exactly the beats of the native `vitalstream detect`,
// and the page must send nothing to any server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contrastViolations } from './a11y.mjs';
import { MITDB, cliPath } from './config.mjs';

export const RECORD_100 = join(MITDB, '100');

/** Why the check cannot run here, or false. */
export function record100Unavailable() {
  if (!existsSync(`${RECORD_100}.hea`) || !existsSync(`${RECORD_100}.dat`)) {
    return `MIT-BIH record 100 not found in ${MITDB} (set VITALSTREAM_MITDB)`;
  }
  return cliPath() ? false : 'native CLI not found (set VS_NATIVE_BUILD or VS_CLI)';
}

export function cliBeats() {
  const out = mkdtempSync(join(tmpdir(), 'vs-e2e-cli-'));
  try {
    const run = spawnSync(cliPath(), ['detect', RECORD_100, '-o', join(out, '100.qrs')], { encoding: 'utf8' });
    assert.equal(run.status, 0, `vitalstream detect failed: ${run.stderr}`);
    const text = `${run.stdout}${run.stderr}`; // the summary line goes to stderr
    const m = /: (\d+) beats in/.exec(text);
    assert.ok(m, `unexpected CLI output: ${text}`);
    return Number(m[1]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Runs the analysis of record 100 at baseUrl/analysis in `page`; returns the beat count shown. */
export async function analyseRecord100(page, baseUrl, screenshot) {
  const expected = cliBeats();
  const sent = [];
  const onRequest = (req) => {
    if (req.method() !== 'GET' || req.postData()) sent.push(`${req.method()} ${req.url()}`);
  };
  const errors = [];
  const onError = (e) => errors.push(String(e));
  page.on('request', onRequest);
  page.on('pageerror', onError);
  try {
    await page.goto(`${baseUrl}/analysis`);
    const input = page.getByTestId('file-input');
    assert.equal(await input.getAttribute('multiple'), '');
    sent.length = 0; // count only what happens once the files are chosen
    await input.setInputFiles([`${RECORD_100}.hea`, `${RECORD_100}.dat`]);
    const count = page.getByTestId('analysis-beat-count');
    await count.or(page.getByRole('alert')).first().waitFor({ timeout: 180_000 });
    const alerts = await page.getByRole('alert').allTextContents();
    assert.deepEqual(alerts, [], 'analysis reported an error');
    const shown = Number((await count.textContent()).trim());
    assert.equal(shown, expected, `browser ${shown} beats, vitalstream detect ${expected}`);
    const classes = (await page.getByTestId('analysis-class-count').allTextContents()).map(Number);
    assert.equal(classes.reduce((a, b) => a + b, 0), expected, 'beat classes do not add up to the beats');
    assert.deepEqual(sent.filter((s) => !s.startsWith('POST') || !s.includes('/api/auth/')), [],
      'the analysis page sent data to a server');
    assert.deepEqual(errors, []);
    assert.deepEqual(await contrastViolations(page), [], 'analysis page contrast');
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return shown;
  } finally {
    page.off('request', onRequest);
    page.off('pageerror', onError);
  }
}
