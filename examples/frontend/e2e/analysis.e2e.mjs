// In-browser analysis of MIT-BIH record 100 from the production build served as static files
// (no backend needed). With a stack available, station.e2e.mjs runs the same check through it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch } from './chromium.mjs';
import { DIST, SCREENSHOTS } from './config.mjs';
import { analyseRecord100, record100Unavailable } from './record100.mjs';
import { serveStatic } from './static-server.mjs';

const skip = record100Unavailable();
let server;
let browser;
before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(DIST, 'index.html')), `production build missing in ${DIST} (ng build)`);
  server = await serveStatic(DIST);
  browser = await launch();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('record 100 analysed in the browser (static build) gives the CLI beat count and uploads nothing',
  { skip, timeout: 240_000 }, async () => {
    const page = await browser.context.newPage();
    await analyseRecord100(page, server.url, join(SCREENSHOTS, 'analysis.png'));
    await page.close();
  });
