// The real stack for the end-to-end tests: either one already running (VS_STACK_URL +
// VS_ADMIN_PASSWORD) or `vitalstream-stack up` started here in a temporary data directory.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The launcher (examples/backend); VS_STACK_BIN points at one outside PATH, e.g. in a venv. */
export const STACK_BIN = process.env.VS_STACK_BIN ?? 'vitalstream-stack';
export const ADMIN_PASSWORD = process.env.VS_ADMIN_PASSWORD ?? 'e2e-admin-secret';

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function haveCommand(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function waitReady(url, ms) {
  const until = Date.now() + ms;
  let last = '';
  while (Date.now() < until) {
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) return;
      last = `readyz ${r.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`stack not ready at ${url} after ${ms} ms (${last})`);
}

/** Why the stack tests cannot run here, or false. */
export function stackUnavailable() {
  if (process.env.VS_STACK_URL) return false;
  return haveCommand(STACK_BIN) ? false : `no running stack (VS_STACK_URL) and no ${STACK_BIN} command`;
}

/** Starts (or attaches to) the stack; returns { url, stop }. */
export async function startStack(patients) {
  if (process.env.VS_STACK_URL) {
    const url = process.env.VS_STACK_URL.replace(/\/$/, '');
    await waitReady(url, 30_000);
    return { url, stop: async () => undefined };
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'vs-e2e-stack-'));
  const env = { ...process.env, VITALSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD };
  const args = ['up', '--patients', String(patients), '--port', String(port), '--data-dir', dataDir];
  const proc = spawn(STACK_BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, 120_000);
  } catch (e) {
    proc.kill('SIGTERM');
    throw new Error(`${e.message}\n--- vitalstream-stack output ---\n${log.slice(-4000)}`);
  }
  return {
    url,
    log: () => log,
    async stop() {
      try {
        execFileSync(STACK_BIN, ['down', '--data-dir', dataDir], { env, stdio: 'ignore', timeout: 60_000 });
      } catch {
        // `up` may own its children in the foreground: ending it ends them.
      }
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 2000));
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An API token for checks made beside the UI (the browser keeps its own in memory). */
export async function apiToken(url, username = 'admin', password = ADMIN_PASSWORD) {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }),
  });
  if (!r.ok) throw new Error(`login failed: ${r.status} ${await r.text()}`);
  return (await r.json()).access_token;
}

export async function api(url, token, path) {
  const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}
