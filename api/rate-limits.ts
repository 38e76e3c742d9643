import { createHash } from 'node:crypto';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Config, loadConfig } from '../config/config';
import { apiError } from './errors';

/** Requests per minute for one kind of route; 0 means no limit. */
export interface RouteLimit {
  /** Per presented credential (bearer or desk token): one integration, one agent. */
  perToken?: number;
  /** Per client address: what a guesser, a scraper or one office behind NAT may send. */
  perAddress: number;
}

/** The limits of each kind of route the API serves (docs/http-api.md, "Rate limits"). */
export interface RateLimits {
  /** `/v1/*`: integrations with a bearer token. */
  api: Required<RouteLimit>;
  /** `/webhooks/twilio/*`: Twilio (or the sandbox); signed, no token. */
  webhooks: RouteLimit;
  /** `/links/reminders/*`: a customer's confirm/cancel links. */
  reminderLinks: RouteLimit;
  /** `GET /desk/api/me`: the desk's sign-in check, where a token is tried. */
  deskSignIn: RouteLimit;
  /** The rest of `/desk/api/*`: an agent's or supervisor's desk. */
  desk: Required<RouteLimit>;
  /** Length of the fixed counting window. @default 60000 (the limits are per minute) */
  windowMs?: number;
}

type Group = Exclude<keyof RateLimits, 'windowMs'>;

const groups: readonly Group[] = ['api', 'webhooks', 'reminderLinks', 'deskSignIn', 'desk'];

/** The limits of a configuration (RATE_LIMIT_* variables). */
export function rateLimitsFromConfig(config: Config): RateLimits {
  return {
    api: { perToken: config.RATE_LIMIT_API_PER_TOKEN, perAddress: config.RATE_LIMIT_API_PER_ADDRESS },
    webhooks: { perAddress: config.RATE_LIMIT_WEBHOOKS_PER_ADDRESS },
    reminderLinks: { perAddress: config.RATE_LIMIT_LINKS_PER_ADDRESS },
    deskSignIn: { perAddress: config.RATE_LIMIT_DESK_SIGNIN_PER_ADDRESS },
    desk: { perToken: config.RATE_LIMIT_DESK_PER_TOKEN, perAddress: config.RATE_LIMIT_DESK_PER_ADDRESS },
  };
}

/** The limits with every RATE_LIMIT_* variable at its default. */
export const defaultRateLimits: RateLimits = rateLimitsFromConfig(loadConfig({}));

/** Which limits a request falls under, from its path alone (unknown paths under a prefix count too). */
export function rateLimitGroupOf(url: string): Group | undefined {
  const path = url.split('?', 1)[0] ?? '';
  if (path === '/v1' || path.startsWith('/v1/') || path.startsWith('/codec/')) return 'api';
  if (path.startsWith('/webhooks/')) return 'webhooks';
  if (path.startsWith('/links/')) return 'reminderLinks';
  if (path === '/desk/api/me') return 'deskSignIn';
  if (path.startsWith('/desk/api/')) return 'desk';
  return undefined;
}

/**
 * Counts every request to a limited route per client address and per presented token, with
 * @fastify/rate-limit's store (one fixed window a minute), and answers 429 with Retry-After when
 * either count is over. Runs before authentication, so wrong tokens count against the address.
 */
export async function installRateLimits(app: FastifyInstance, limits: RateLimits): Promise<void> {
  await app.register(fastifyRateLimit, { global: false });
  const limiter = (max: number, key: (request: FastifyRequest) => string) =>
    max > 0
      ? app.createRateLimit({ max, timeWindow: limits.windowMs ?? 60_000, keyGenerator: key })
      : undefined;
  const checks = Object.fromEntries(
    groups.map((group) => {
      const limit: RouteLimit = limits[group];
      return [
        group,
        {
          perAddress: limiter(limit.perAddress, (request) => request.ip),
          perToken: limiter(limit.perToken ?? 0, (request) => tokenKey(request) ?? ''),
        },
      ];
    }),
  ) as Record<Group, { perAddress?: Limiter; perToken?: Limiter }>;

  app.addHook('onRequest', async (request, reply) => {
    const group = rateLimitGroupOf(request.url);
    if (group === undefined) return;
    const { perAddress, perToken } = checks[group];
    const waits: number[] = [];
    for (const check of [perAddress, tokenKey(request) === undefined ? undefined : perToken]) {
      if (check === undefined) continue;
      const result = await check(request);
      if (!result.isAllowed && result.isExceeded) waits.push(result.ttlInSeconds);
    }
    if (waits.length === 0) return;
    const retryAfter = Math.max(1, ...waits);
    await reply
      .code(429)
      .header('retry-after', String(retryAfter))
      .send(
        apiError(
          429,
          'rate_limited',
          `too many requests to ${describe[group]}; retry in ${retryAfter} s (see Retry-After)`,
        ),
      );
  });
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

const describe: Record<Group, string> = {
  api: 'the API',
  webhooks: 'the Twilio webhooks',
  reminderLinks: 'reminder links',
  deskSignIn: 'the desk sign-in',
  desk: 'the agent desk',
};

/** A digest of the presented bearer token (the token itself is never a map key nor logged). */
function tokenKey(request: FastifyRequest): string | undefined {
  const presented = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  return presented === undefined ? undefined : createHash('sha256').update(presented).digest('base64url');
}
