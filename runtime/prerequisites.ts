import { CHROMIUM_PACKAGE, findChromiumPackage } from './chromium';
import { findPostgresBinDir } from './postgres-binaries';
import { commandOutput } from './run-command';
import { findTemporalCli, TEMPORAL_CLI_GO_VERSION, TEMPORAL_CLI_VERSION } from './temporal-cli';
import { findTestServer, TEST_SERVER_VERSION } from './test-server';

/** One thing a machine needs for `npm start` or `npm test`, and how to get it when missing. */
export interface PrerequisiteCheck {
  name: string;
  /** Which command needs it. */
  for: 'npm start' | 'npm test';
  ok: boolean;
  detail: string;
  fix?: string;
}

const NODE_AT_LEAST = [20, 11] as const;
const JAVA_AT_LEAST = 17;

/**
 * What `recontact provision --check` reports: everything the README's "You need" line names,
 * without building or fetching anything. Tools Recontact builds or fetches itself (the Temporal
 * CLI, the test server, the browser) pass when their toolchain is there to do it.
 */
export async function checkPrerequisites(env: NodeJS.ProcessEnv = process.env): Promise<PrerequisiteCheck[]> {
  return [
    checkNode(),
    await checkTemporalCli(env),
    await checkTestServer(env),
    checkPostgres(),
    checkBrowser(env),
  ];
}

function checkNode(): PrerequisiteCheck {
  const version = process.versions.node;
  const ok = atLeast(version, NODE_AT_LEAST);
  return {
    name: 'node',
    for: 'npm start',
    ok,
    detail: `Node.js ${version}${ok ? '' : `, older than ${NODE_AT_LEAST.join('.')}`}`,
    ...(ok ? {} : { fix: `install Node.js ${NODE_AT_LEAST.join('.')} or later (Node 20 LTS or newer)` }),
  };
}

async function checkTemporalCli(env: NodeJS.ProcessEnv): Promise<PrerequisiteCheck> {
  const name = 'temporal-cli';
  let found;
  try {
    found = findTemporalCli(env);
  } catch (error) {
    return {
      name,
      for: 'npm start',
      ok: false,
      detail: (error as Error).message,
      fix: 'unset it or correct it',
    };
  }
  if (found !== undefined)
    return { name, for: 'npm start', ok: true, detail: `${found.path} (${found.source})` };

  const go = /go(\d+\.\d+(?:\.\d+)?)/.exec((await commandOutput('go', ['version'], env)) ?? '')?.[1];
  if (go !== undefined && atLeast(go, TEMPORAL_CLI_GO_VERSION)) {
    return {
      name,
      for: 'npm start',
      ok: true,
      detail: `not built yet: the first \`npm start\` or \`npm test\` builds ${TEMPORAL_CLI_VERSION} with Go ${go} (a few minutes)`,
    };
  }
  return {
    name,
    for: 'npm start',
    ok: false,
    detail:
      go === undefined
        ? 'no Temporal CLI, and no Go toolchain to build one'
        : `no Temporal CLI, and Go ${go} is too old to build ${TEMPORAL_CLI_VERSION} (its go.mod asks for Go ${TEMPORAL_CLI_GO_VERSION.join('.')})`,
    fix:
      `install Go ${TEMPORAL_CLI_GO_VERSION.join('.')}+ (Debian 12's golang-go is 1.19, too old), or put \`temporal\` on PATH, ` +
      'or set TEMPORAL_CLI_PATH — or set TEMPORAL_ADDRESS to a Temporal server you run',
  };
}

async function checkTestServer(env: NodeJS.ProcessEnv): Promise<PrerequisiteCheck> {
  const name = 'test-server';
  const found = findTestServer();
  if (found !== undefined) return { name, for: 'npm test', ok: true, detail: found };

  const javaVersion = /version "(\d+)(?:\.(\d+))?/.exec(
    (await commandOutput('java', ['-version'], env)) ?? '',
  );
  // Java 8 and older say "1.8"; 9 and later say "17.0.15".
  const java = javaVersion ? Number(javaVersion[1] === '1' ? javaVersion[2] : javaVersion[1]) : undefined;
  const maven = (await commandOutput('mvn', ['-v'], env)) !== undefined;
  // The JDK's compiler: provisioning compiles the server's one patched class.
  const javac = (await commandOutput('javac', ['-version'], env)) !== undefined;
  const missing = [
    ...(java === undefined || java < JAVA_AT_LEAST ? [`Java ${JAVA_AT_LEAST}+`] : []),
    ...(javac ? [] : ['javac (a JDK, not only a JRE)']),
    ...(maven ? [] : ['Maven']),
  ];
  if (missing.length === 0) {
    return {
      name,
      for: 'npm test',
      ok: true,
      detail: `not fetched yet: the first \`npm test\` fetches ${TEST_SERVER_VERSION} from Maven Central with Java ${java} and Maven`,
    };
  }
  return {
    name,
    for: 'npm test',
    ok: false,
    detail: `the time-skipping test server is fetched with a JDK and Maven: ${missing.join(' and ')} missing${
      java !== undefined && java < JAVA_AT_LEAST ? ` (found Java ${java})` : ''
    }`,
    fix: 'apt-get install openjdk-17-jdk-headless maven (or set TEMPORAL_TEST_SERVER_PATH)',
  };
}

function checkPostgres(): PrerequisiteCheck {
  const binDir = findPostgresBinDir();
  return binDir !== undefined
    ? {
        name: 'postgresql',
        for: 'npm test',
        ok: true,
        detail: `${binDir} (the store tests' throwaway cluster)`,
      }
    : {
        name: 'postgresql',
        for: 'npm test',
        ok: false,
        detail:
          'no PostgreSQL server binaries (initdb, pg_ctl): the PostgreSQL half of the store tests is skipped',
        fix: 'apt-get install postgresql (or set PG_BIN_DIR to a folder holding initdb and pg_ctl)',
      };
}

function checkBrowser(env: NodeJS.ProcessEnv): PrerequisiteCheck {
  const explicit = env.RECONTACT_CHROMIUM_PATH;
  if (explicit !== undefined && explicit !== '')
    return { name: 'browser', for: 'npm test', ok: true, detail: `${explicit} (RECONTACT_CHROMIUM_PATH)` };
  const pkg = findChromiumPackage();
  return pkg !== undefined
    ? {
        name: 'browser',
        for: 'npm test',
        ok: true,
        detail: `${CHROMIUM_PACKAGE} ${pkg.version}: extracted into the cache by the first browser test`,
      }
    : {
        name: 'browser',
        for: 'npm test',
        ok: false,
        detail: `${CHROMIUM_PACKAGE} (a devDependency holding headless Chromium) is not installed`,
        fix: 'npm install (with devDependencies), or set RECONTACT_CHROMIUM_PATH to a Chromium',
      };
}

/** True when dotted `version` (e.g. "20.20.2", "1.26.8") is at least `minimum` ([20, 11]). */
function atLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split('.').map(Number);
  for (const [index, wanted] of minimum.entries()) {
    const part = parts[index] ?? 0;
    if (part !== wanted) return part > wanted;
  }
  return true;
}
