// readme_types.test.mjs — every ```js / ```ts example of README.md type-checks with
// `tsc --strict` against the package's own declarations (bare import 'vitalstream', resolved as
// a user's project resolves it). The few free names the examples leave to the reader (the
// samples, the picked files) are declared in a prelude. Web Worker examples are checked with the
// WebWorker library, the others with the DOM library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(pkgDir, 'node_modules', 'typescript', 'bin', 'tsc');
const PRELUDE = `// names the README examples leave to the reader
declare const samplesMv: Float32Array;
declare const hea: { arrayBuffer(): Promise<ArrayBuffer> };
declare const dat: { arrayBuffer(): Promise<ArrayBuffer> };
declare const csvText: string;
`;

test('README examples type-check with tsc --strict', () => {
  const blocks = [...readFileSync(join(pkgDir, 'README.md'), 'utf8').matchAll(/```(?:js|ts)\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 3, `${blocks.length} examples`);
  const dir = mkdtempSync(join(tmpdir(), 'vs-readme-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(pkgDir, join(dir, 'node_modules', 'vitalstream'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme', type: 'module', private: true }));
    writeFileSync(join(dir, 'prelude.d.ts'), PRELUDE);
    const groups = { dom: [], worker: [] };
    blocks.forEach((code, i) => {
      const file = `example${i + 1}.ts`;
      writeFileSync(join(dir, file), `${code}\nexport {};\n`);
      groups[/\bself\.(onmessage|postMessage)\b/.test(code) ? 'worker' : 'dom'].push(file);
    });
    for (const [kind, files] of Object.entries(groups)) {
      if (!files.length) continue;
      const lib = kind === 'worker' ? ['ES2022', 'WebWorker'] : ['ES2022', 'DOM'];
      writeFileSync(join(dir, `tsconfig.${kind}.json`), JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'ES2022', lib, types: [] },
        files: ['prelude.d.ts', ...files],
      }));
      try {
        execFileSync(process.execPath, [tsc, '-p', `tsconfig.${kind}.json`], { cwd: dir, stdio: 'pipe' });
      } catch (e) {
        assert.fail(`tsc --strict (${lib}) on README examples ${files.join(', ')}:\n${e.stdout}${e.stderr}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
