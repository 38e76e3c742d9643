import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { BenchRow } from '../stats';

/**
 * Evaluates the bundle the way the SDK's reusable V8 context does — the modules loaded at start-up
 * shared, every module the workflows import evaluated again per run — keeps `runs` such runs alive
 * and reads the heap each costs (after a full GC), in a child `node --expose-gc`.
 */
const MEASURE = `
const vm = require('node:vm');
const code = require('node:fs').readFileSync(process.argv[1], 'utf8');
const runs = Number(process.argv[2]);
const context = vm.createContext({ console, setTimeout, clearTimeout, TextEncoder, TextDecoder, URL, URLSearchParams });
const shared = new Map();
let perRun;
const cache = new Proxy({}, {
  get: (_, id) => shared.get(id) ?? perRun?.get(id),
  set: (_, id, module) => ((perRun ?? shared).set(id, module), true),
});
Object.defineProperty(context, '__webpack_module_cache__', { value: cache });
vm.runInContext(code, context);
gc();
const before = process.memoryUsage().heapUsed;
const kept = [];
const started = process.hrtime.bigint();
for (let i = 0; i < runs; i += 1) {
  perRun = new Map();
  vm.runInContext('__TEMPORAL__.importWorkflows()', context);
  kept.push(perRun);
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
gc();
const after = process.memoryUsage().heapUsed;
console.log(JSON.stringify({ shared: shared.size, perRun: kept[0].size, bytesPerRun: (after - before) / runs, msPerRun: ms / runs }));
`;

export async function workflowModuleCostRows(workflowsPath: string, runs = 100): Promise<BenchRow[]> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'recontact-bench-bundle-'));
  try {
    const file = path.join(dir, 'bundle.js');
    writeFileSync(file, code);
    const measured = JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', '-e', MEASURE, file, String(runs)], {
        encoding: 'utf8',
      }),
    ) as { shared: number; perRun: number; bytesPerRun: number; msPerRun: number };
    return [
      {
        benchmark: `workflow bundle: what each cached run evaluates again (${runs} runs kept)`,
        measured: `${measured.perRun} modules, ${(measured.bytesPerRun / 1024).toFixed(0)} KB heap, ${measured.msPerRun.toFixed(0)} ms`,
        baseline: `${measured.shared} modules shared; bundle ${(code.length / 1024 / 1024).toFixed(2)} MiB with its source map`,
        ratio: `${((measured.bytesPerRun * 1_000) / 1024 / 1024 / 1024).toFixed(2)} GB per 1,000 cached`,
        target: 'the cache bounds it: WORKER_MAX_CACHED_WORKFLOWS × this',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
