import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { bundleWorkflowCode } from '@temporalio/worker';

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Every module of the bundle by its webpack id (`./domain/policy/zone-offset.ts`, `…/node_modules/zod/…`). */
function moduleIds(code: string): Set<string> {
  return new Set([...code.matchAll(/^\/\*\*\*\/ "([^"]+)"$/gm)].map((match) => match[1] as string));
}

/**
 * The modules one run evaluates of its own, the way the SDK's reusable V8 context runs the bundle:
 * what loads with the bundle is shared, what `importWorkflows()` loads is evaluated again for every
 * run the worker caches (bench/suites/workflow-module-cost.ts measures their cost).
 */
function modulesEvaluatedPerRun(code: string): string[] {
  const context = vm.createContext({
    console,
    setTimeout,
    clearTimeout,
    TextEncoder,
    TextDecoder,
    URL,
    URLSearchParams,
  });
  const shared = new Map<string, unknown>();
  const perRun = new Map<string, unknown>();
  let importing = false;
  const cache = new Proxy(
    {},
    {
      get: (_, id: string) => shared.get(id) ?? perRun.get(id),
      set: (_, id: string, module: unknown) => ((importing ? perRun : shared).set(id, module), true),
    },
  );
  Object.defineProperty(context, '__webpack_module_cache__', { value: cache });
  vm.runInContext(code, context);
  importing = true;
  vm.runInContext('__TEMPORAL__.importWorkflows()', context);
  return [...perRun.keys()];
}

describe('the workflow bundle', () => {
  let code: string;
  beforeAll(async () => {
    ({ code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../../workflows'),
      logger: silent,
    }));
  });

  it('carries no luxon: zone arithmetic with luxon stays in activities (docs/zone-arithmetic.md)', () => {
    const ids = moduleIds(code);
    // The schemas that replays of old histories parse their input with check zones through the luxon-free reader.
    expect(ids).toContain('./domain/policy/zone-offset.ts');
    expect([...ids].filter((id) => /node_modules\/luxon\/|domain\/policy\/local-time\.ts/.test(id))).toEqual(
      [],
    );
  });

  it('evaluates no zod and no schema for each cached run: inputs are parsed by a local activity (docs/architecture.md)', () => {
    const perRun = modulesEvaluatedPerRun(code);
    expect(perRun).toContain('./workflows/appointment-reminder.ts');
    // zod is bundled for the replays of histories recorded before, loaded only when they run.
    expect([...moduleIds(code)].some((id) => id.includes('node_modules/zod/'))).toBe(true);
    expect(perRun.filter((id) => id.includes('node_modules/zod/'))).toEqual([]);
    // Nor any of our modules that define schemas: workflows import pure logic and types only.
    const root = path.join(__dirname, '..', '..', '..');
    const ours = perRun.filter((id) => id.startsWith('./'));
    expect(ours.length).toBeGreaterThan(20);
    expect(
      ours.filter((id) =>
        /^import (?!type )[^;]*from 'zod'/m.test(readFileSync(path.join(root, id), 'utf8')),
      ),
    ).toEqual([]);
  });
});
