import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port');

/** The balancer process's arguments (runtime/frontend-balancer-process.ts). */
export const balancerArgsSchema = z.object({
  port: z.coerce
    .number('a port number')
    .int('a whole number')
    .min(0, 'at least 0')
    .max(65_535, 'at most 65535'),
  frontends: z
    .string('expected a comma-separated list of host:port')
    .transform((list) => list.split(',').filter((item) => item !== ''))
    .pipe(z.array(hostPort).min(1, 'at least one frontend')),
  statusFile: z.string('expected a file path').min(1, 'expected a file path'),
});

/** What the balancer process keeps in its status file. */
export const balancerStatusSchema = z.object({
  address: z.string(),
  pid: z.number().int(),
  updatedAt: z.string(),
  frontends: z.array(
    z.object({
      address: z.string(),
      healthy: z.boolean(),
      since: z.string(),
      reason: z.string().optional(),
      open: z.number().int(),
      served: z.number().int(),
    }),
  ),
});
export type BalancerStatus = z.infer<typeof balancerStatusSchema>;

/**
 * argv that runs the balancer process: the compiled file beside this one, or the TypeScript source
 * through tsx when Recontact runs from source. It loads nothing but the balancer, so it starts fast.
 */
export function balancerCommand(args: { port: number; frontends: string[]; statusFile: string }): string[] {
  const extension = path.extname(__filename);
  const entry = path.join(__dirname, `frontend-balancer-process${extension}`);
  return [
    process.execPath,
    ...(extension === '.ts' ? ['--import', 'tsx'] : []),
    entry,
    '--port',
    String(args.port),
    '--frontends',
    args.frontends.join(','),
    '--status-file',
    args.statusFile,
  ];
}

/** The balancer's own view of its frontends, or undefined when it has written none (yet). */
export function readBalancerStatus(statusFile: string): BalancerStatus | undefined {
  if (!existsSync(statusFile)) return undefined;
  try {
    return balancerStatusSchema.parse(JSON.parse(readFileSync(statusFile, 'utf8')));
  } catch {
    return undefined;
  }
}
