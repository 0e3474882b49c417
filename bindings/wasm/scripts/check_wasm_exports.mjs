// check_wasm_exports.mjs WASM LIST [IMPORTS] — the module must export exactly the functions of
// LIST (one name per line) plus the runtime entries the wrapper uses, and import only what the
// loader provides (src/core.ts: the memory-growth notification; IMPORTS, comma-separated, adds
// more: the I/O module's file host in src/io.ts). Exit 1 with the differences otherwise.
import { readFileSync } from 'node:fs';

const [wasmPath, listPath, extraImports] = process.argv.slice(2);
const mod = new WebAssembly.Module(readFileSync(wasmPath));
const listed = readFileSync(listPath, 'utf8').split('\n').filter(Boolean);
const runtime = new Set(['memory', 'malloc', 'free', '_initialize', '__indirect_function_table']);
const allowedImports = new Set(['env.emscripten_notify_memory_growth',
    ...(extraImports ? extraImports.split(',') : [])]);

const exported = WebAssembly.Module.exports(mod).map((e) => e.name);
const exportedSet = new Set(exported);
const missing = listed.filter((n) => !exportedSet.has(n));
// Emscripten adds a few runtime helpers of its own (stack handling, errno); anything else that
// is not in the list is a leak of an internal symbol.
const unexpected = exported.filter((n) => !listed.includes(n) && !runtime.has(n) &&
    !/^(stack|emscripten_stack_|__errno_location$|_emscripten_)/.test(n));
const imports = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`);
const badImports = imports.filter((n) => !allowedImports.has(n));
let ok = true;
if (missing.length) { ok = false; console.error('FAIL: listed but not exported:', missing.join(' ')); }
if (unexpected.length) { ok = false; console.error('FAIL: exported but not listed:', unexpected.join(' ')); }
if (badImports.length) { ok = false; console.error('FAIL: unexpected imports:', badImports.join(' ')); }
if (!exportedSet.has('memory') || !exportedSet.has('malloc') || !exportedSet.has('free')) {
    ok = false; console.error('FAIL: memory/malloc/free not exported');
}
console.log(`wasm exports: ${listed.length} listed functions, ${exported.length} exports in all, ` +
    `imports: ${imports.join(' ') || 'none'}`);
process.exit(ok ? 0 : 1);
