import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RunCommandOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with every line the command prints (stdout and stderr). */
  onLine?: (line: string) => void;
}

/** Runs a command to completion; rejects with the last lines it printed when it fails. */
export async function runCommand(
  command: string,
  args: string[],
  options: RunCommandOptions = {},
): Promise<void> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const collect = (line: string): void => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    options.onLine?.(line);
  };
  createInterface({ input: child.stdout }).on('line', collect);
  createInterface({ input: child.stderr }).on('line', collect);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`);
  }
}

/** What `command` prints (stdout and stderr, line by line), or `undefined` when it cannot run or fails. */
export async function commandOutput(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const lines: string[] = [];
  try {
    await runCommand(command, args, { env, onLine: (line) => lines.push(line) });
    return lines.join('\n');
  } catch {
    return undefined;
  }
}

/** True when `command` can be started (found on PATH and executable). */
export async function commandExists(
  command: string,
  versionArgs: string[] = ['--version'],
): Promise<boolean> {
  try {
    await runCommand(command, versionArgs);
    return true;
  } catch {
    return false;
  }
}
