// Paths and settings of the end-to-end tests (all overridable from the environment).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = resolve(FRONTEND, '../..');
export const DIST = join(FRONTEND, 'dist/vitalstream/browser');
export const MITDB = process.env.VITALSTREAM_MITDB ?? join(REPO, '../shared/data/mitdb');
export const SCREENSHOTS = process.env.VS_SCREENSHOTS ?? join(REPO, 'docs/screenshots');

/** The native CLI (`vitalstream detect` is the reference for the beat count). */
export function cliPath() {
  const candidates = [process.env.VS_CLI, process.env.VS_NATIVE_BUILD && join(process.env.VS_NATIVE_BUILD, 'vitalstream')]
    .filter(Boolean);
  return candidates.find((p) => existsSync(p)) ?? null;
}
