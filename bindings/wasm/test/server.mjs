// server.mjs — a tiny static HTTP server on 127.0.0.1 for the browser test and benchmark:
// maps URL prefixes to folders, plus in-memory files. Closed by the caller.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** dirs: { '/pkg/': '/abs/dist', ... }; files: Map('/data/x.bin' -> Uint8Array). */
export async function startServer(dirs, files = new Map()) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    try {
      let body;
      let type = TYPES[extname(path)] || 'application/octet-stream';
      if (path === '/favicon.ico') {
        body = new Uint8Array(0); // browsers ask for it; a 404 would show up as a console error
      } else if (files.has(path)) {
        body = files.get(path);
      } else {
        const prefix = Object.keys(dirs).find((p) => path.startsWith(p));
        const rel = prefix ? normalize(path.slice(prefix.length)) : '';
        if (!prefix || rel.startsWith('..')) throw Object.assign(new Error('not found'), { code: 'ENOENT' });
        body = await readFile(join(dirs[prefix], rel));
      }
      if (path === '/') type = TYPES['.html'];
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`not found: ${path}`);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}
