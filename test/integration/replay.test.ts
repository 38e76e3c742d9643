import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { requiredTestEnv, TEST_ENV } from '../harness/test-env';
import { testDataConverter } from '../harness/payload-keys';

const historiesDir = path.join(__dirname, '..', 'replay', 'histories');
const files = readdirSync(historiesDir).filter((file) => file.endsWith('.json'));

/**
 * Every recorded history (test/replay/histories, made by test/replay/record-history.ts) must
 * replay on today's workflow code without a determinism error. A change to a running workflow
 * that breaks one needs `patched()`, not a new recording.
 */
describe('replaying recorded histories on the current workflow code', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('replays every recorded history without a nondeterminism error', async () => {
    // record-history.ts runs each workflow with its file name as the workflow id.
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8'))),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      // With the codec: histories written before it (plain payloads) pass through and replay.
      {
        workflowBundle: { codePath: requiredTestEnv(TEST_ENV.bundlePath) },
        dataConverter: testDataConverter(),
      },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
