import { bundleWorkflowCode } from '@temporalio/worker';

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Every module of the bundle by its webpack id (`./domain/policy/zone-offset.ts`, `…/node_modules/zod/…`). */
function moduleIds(code: string): Set<string> {
  return new Set([...code.matchAll(/^\/\*\*\*\/ "([^"]+)"$/gm)].map((match) => match[1] as string));
}

describe('the workflow bundle', () => {
  it('carries no luxon: zone arithmetic with luxon stays in activities (docs/zone-arithmetic.md)', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../../workflows'),
      logger: silent,
    });
    const ids = moduleIds(code);
    // The schemas workflows parse their input with check zones through the luxon-free reader.
    expect(ids).toContain('./domain/policy/zone-offset.ts');
    expect([...ids].some((id) => id.includes('node_modules/zod/'))).toBe(true);
    expect([...ids].filter((id) => /node_modules\/luxon\/|domain\/policy\/local-time\.ts/.test(id))).toEqual(
      [],
    );
  });
});
