import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { acceptedParams } from './accepted-params';
import type { CallbackEvent, HttpMethod, MachineDetection } from './call-leg';
import type { FaultSwitch } from './fault-switch';
import { FormFields, parseForm, queryFields, type RawFields } from './form-fields';
import { listPage } from './list-page';
import { checkCallNumbers, checkSmsNumbers, MAGIC_VALID_FROM } from './magic-numbers';
import type { Outbox, OutboxCall, OutboxMessage } from './outbox';
import { smsScenarioFor } from './scenario-numbers';
import { newSid } from './sids';
import { TwilioApiError, twilioErrorBody } from './twilio-errors';
import { API_VERSION, callResource, countSegments, messageResource } from './twilio-resources';
import { matchesDateFilter, parseFilterDate } from './twilio-time';
import { parseEvents, type VoiceEngine } from './voice-engine';
import { nonNegativeInt } from './twiml-interpreter';

export interface TwilioApiDeps {
  accountSid: string;
  authToken: string;
  outbox: Outbox;
  voice: VoiceEngine;
  faults: FaultSwitch;
  /** Senders accepted besides +15005550006. */
  validFrom: ReadonlySet<string>;
  /** Starts an accepted outbound message's lifecycle in the background. */
  startMessage(message: OutboxMessage): void;
}

/**
 * The subset of Twilio's REST API 2010-04-01 a contact centre's outbound flow uses — Messages
 * create/list/fetch, Calls create/list/fetch/update — with Basic auth, form-encoded bodies,
 * Twilio's field names and error shape, magic numbers and the fault switch.
 */
export async function registerTwilioApi(app: FastifyInstance, deps: TwilioApiDeps): Promise<void> {
  await app.register(
    async (api) => {
      api.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) =>
          done(null, parseForm(typeof body === 'string' ? body : body.toString('utf8'))),
      );
      api.addHook('onResponse', async (request, reply) => {
        deps.outbox.addRequest({
          at: Date.now(),
          method: request.method,
          path: request.url.split('?')[0] ?? request.url,
          status: reply.statusCode,
        });
      });
      api.addHook('onRequest', async (request, reply) => {
        const fault = deps.faults.current();
        if (fault !== undefined) {
          const body =
            fault.status === 429
              ? twilioErrorBody(429, 20429, 'Too Many Requests')
              : twilioErrorBody(503, 20503, 'Service Unavailable');
          return reply.code(fault.status).send(body);
        }
        const accountInPath = (request.params as { accountSid?: string }).accountSid;
        if (
          !credentialsMatch(request.headers.authorization, deps) ||
          (accountInPath ?? deps.accountSid) !== deps.accountSid
        ) {
          return reply
            .code(401)
            .header('www-authenticate', 'Basic realm="Twilio API"')
            .send(twilioErrorBody(401, 20003, 'Authenticate'));
        }
        return undefined;
      });
      api.setErrorHandler(async (error, _request, reply) => {
        if (error instanceof TwilioApiError) return reply.code(error.status).send(error.toBody());
        const { statusCode, message } = error as { statusCode?: unknown; message?: unknown };
        const status =
          typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 ? statusCode : 500;
        const text = status === 500 || typeof message !== 'string' ? 'Internal Server Error' : message;
        return reply.code(status).send(twilioErrorBody(status, status === 500 ? 20500 : 20001, text));
      });
      api.setNotFoundHandler(async (request, reply) =>
        reply
          .code(404)
          .send(
            twilioErrorBody(404, 20404, `The requested resource ${request.url.split('?')[0]} was not found`),
          ),
      );

      const base = (request: FastifyRequest): string =>
        `/${API_VERSION}/Accounts/${(request.params as { accountSid: string }).accountSid}`;

      api.post('/Accounts/:accountSid/Messages.json', async (request, reply) => {
        const message = createMessage(new FormFields('CreateMessage', bodyFields(request.body)), deps);
        deps.outbox.addMessage(message);
        deps.startMessage(message);
        return reply.code(201).send(messageResource(message));
      });

      api.get('/Accounts/:accountSid/Messages.json', async (request) => {
        const fields = new FormFields('ListMessage', queryFields(request.query));
        const filters = presentFilters(fields, ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>']);
        const dates = dateFilters(filters, 'DateSent');
        const messages = deps.outbox
          .listMessages()
          .filter(
            (message) =>
              (!filters.has('To') || message.to === filters.get('To')) &&
              (!filters.has('From') || message.from === filters.get('From')) &&
              dates.every(
                ({ op, filter }) =>
                  message.dateSent !== null && matchesDateFilter(message.dateSent, op, filter),
              ),
          );
        return listPage(
          'messages',
          `${base(request)}/Messages.json`,
          messages,
          fields,
          acceptedParams.ListMessage,
          filters,
          messageResource,
        );
      });

      api.get('/Accounts/:accountSid/Messages/:file', async (request) => {
        const message = deps.outbox.findMessage(sidOf(request));
        if (message === undefined) throw notFound(request);
        return messageResource(message);
      });

      api.post('/Accounts/:accountSid/Calls.json', async (request, reply) => {
        const call = deps.voice.create(newCall(new FormFields('CreateCall', bodyFields(request.body)), deps));
        return reply.code(201).send(callResource(call));
      });

      api.get('/Accounts/:accountSid/Calls.json', async (request) => {
        const fields = new FormFields('ListCall', queryFields(request.query));
        const filters = presentFilters(fields, [
          'To',
          'From',
          'ParentCallSid',
          'Status',
          'StartTime',
          'StartTime<',
          'StartTime>',
        ]);
        const dates = dateFilters(filters, 'StartTime');
        const calls = deps.outbox
          .listCalls()
          .filter(
            (call) =>
              (!filters.has('To') || call.to === filters.get('To')) &&
              (!filters.has('From') || call.from === filters.get('From')) &&
              (!filters.has('ParentCallSid') || call.parentCallSid === filters.get('ParentCallSid')) &&
              (!filters.has('Status') || call.status === filters.get('Status')) &&
              dates.every(
                ({ op, filter }) => call.startTime !== null && matchesDateFilter(call.startTime, op, filter),
              ),
          );
        return listPage(
          'calls',
          `${base(request)}/Calls.json`,
          calls,
          fields,
          acceptedParams.ListCall,
          filters,
          callResource,
        );
      });

      api.get('/Accounts/:accountSid/Calls/:file', async (request) => {
        const call = deps.outbox.findCall(sidOf(request));
        if (call === undefined) throw notFound(request);
        return callResource(call);
      });

      api.post('/Accounts/:accountSid/Calls/:file', async (request) => {
        const fields = new FormFields('UpdateCall', bodyFields(request.body));
        const status = fields.get('Status');
        if (status !== undefined && status !== 'canceled' && status !== 'completed') {
          throw new TwilioApiError(400, 20001, `Invalid Status '${status}': expected canceled or completed`);
        }
        const url = optionalUrl(fields.get('Url'), 'Url');
        const twiml = fields.get('Twiml');
        const call: OutboxCall | undefined = deps.voice.update(sidOf(request), {
          ...(status !== undefined ? { status } : {}),
          ...(url !== undefined ? { url } : {}),
          ...(twiml !== undefined ? { twiml } : {}),
          method: method(fields.get('Method')),
        });
        if (call === undefined) throw notFound(request);
        return callResource(call);
      });
    },
    { prefix: `/${API_VERSION}` },
  );
}

function createMessage(fields: FormFields<'CreateMessage'>, deps: TwilioApiDeps): OutboxMessage {
  const to = fields.get('To');
  const from = fields.get('From');
  const messagingServiceSid = fields.get('MessagingServiceSid');
  const body = fields.get('Body') ?? '';
  const media = fields.all('MediaUrl').filter((url) => url !== '');
  if (to === undefined) throw new TwilioApiError(400, 21604, "A 'To' phone number is required.");
  if (from === undefined && messagingServiceSid === undefined) {
    throw new TwilioApiError(400, 21603, "A 'From' phone number is required.");
  }
  if (messagingServiceSid !== undefined && !/^MG[0-9a-fA-F]{32}$/.test(messagingServiceSid)) {
    throw new TwilioApiError(400, 21701, `The Messaging Service Sid ${messagingServiceSid} is invalid.`);
  }
  if (body === '' && media.length === 0) throw new TwilioApiError(400, 21602, 'Message body is required.');
  if (body.length > 1600) {
    throw new TwilioApiError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  }
  const statusCallback = optionalUrl(fields.get('StatusCallback'), 'StatusCallback', 21609);
  // A Messaging Service picks a sender from its pool; the sandbox's pool is the magic number.
  const sender = from ?? MAGIC_VALID_FROM;
  checkSmsNumbers(sender, to, deps.validFrom);
  const now = Date.now();
  return {
    sid: newSid('SM'),
    accountSid: deps.accountSid,
    direction: 'outbound-api',
    from: sender,
    to,
    body,
    numSegments: countSegments(body),
    numMedia: media.length,
    messagingServiceSid: messagingServiceSid ?? null,
    status: 'queued',
    errorCode: null,
    errorMessage: null,
    statusCallback: statusCallback ?? null,
    scenario: smsScenarioFor(to).name,
    acceptedAt: now,
    dateCreated: now,
    dateUpdated: now,
    dateSent: null,
    events: [{ status: 'queued', at: now }],
  };
}

function newCall(
  fields: FormFields<'CreateCall'>,
  deps: TwilioApiDeps,
): Parameters<VoiceEngine['create']>[0] {
  const to = fields.get('To');
  const from = fields.get('From');
  if (to === undefined) throw new TwilioApiError(400, 21201, "No 'To' number is specified");
  if (from === undefined) throw new TwilioApiError(400, 21213, "No 'From' number is specified");
  const url = optionalUrl(fields.get('Url'), 'Url');
  const twiml = fields.get('Twiml');
  if (url === undefined && twiml === undefined)
    throw new TwilioApiError(400, 21205, 'Url parameter is required.');
  if (twiml !== undefined && twiml.length > 4000) {
    throw new TwilioApiError(400, 13227, 'Twiml exceeds the 4000 character limit.');
  }
  checkCallNumbers(from, to, deps.validFrom);
  const fallbackUrl = optionalUrl(fields.get('FallbackUrl'), 'FallbackUrl');
  const statusCallback = optionalUrl(fields.get('StatusCallback'), 'StatusCallback');
  const detection = fields.get('MachineDetection')?.toLowerCase();
  const asyncAmd = fields.get('AsyncAmd') === 'true';
  const amdCallback = optionalUrl(fields.get('AsyncAmdStatusCallback'), 'AsyncAmdStatusCallback');
  const machineDetection: MachineDetection | null =
    detection === 'enable' || detection === 'detectmessageend'
      ? {
          mode: detection === 'enable' ? 'Enable' : 'DetectMessageEnd',
          callback:
            asyncAmd && amdCallback !== undefined
              ? { url: amdCallback, method: method(fields.get('AsyncAmdStatusCallbackMethod')) }
              : null,
        }
      : null;
  const events: CallbackEvent[] = parseEvents(fields.all('StatusCallbackEvent'));
  return {
    accountSid: deps.accountSid,
    from,
    to,
    ...(url !== undefined ? { url } : {}),
    method: method(fields.get('Method')),
    ...(twiml !== undefined ? { twiml } : {}),
    ...(fallbackUrl !== undefined
      ? { fallback: { url: fallbackUrl, method: method(fields.get('FallbackMethod')) } }
      : {}),
    statusCallback: statusCallback ?? null,
    statusCallbackMethod: method(fields.get('StatusCallbackMethod')),
    statusCallbackEvents: events,
    machineDetection,
    timeoutSeconds: Math.min(600, Math.max(1, nonNegativeInt(fields.get('Timeout'), 60))),
  };
}

function bodyFields(body: unknown): RawFields {
  return body instanceof Map ? (body as RawFields) : new Map();
}

function sidOf(request: FastifyRequest): string {
  const file = (request.params as { file: string }).file;
  if (!file.endsWith('.json')) throw notFound(request);
  return file.slice(0, -'.json'.length);
}

function notFound(request: FastifyRequest): TwilioApiError {
  return new TwilioApiError(404, 20404, `The requested resource ${request.url.split('?')[0]} was not found`);
}

function method(value: string | undefined): HttpMethod {
  return value?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

function optionalUrl(value: string | undefined, name: string, code = 21205): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  throw new TwilioApiError(400, code, `${name} is not a valid URL: ${value}`);
}

function presentFilters<Op extends 'ListMessage' | 'ListCall'>(
  fields: FormFields<Op>,
  names: readonly (typeof acceptedParams)[Op][number][],
): Map<string, string> {
  const filters = new Map<string, string>();
  for (const name of names) {
    const value = fields.get(name);
    if (value !== undefined) filters.set(name, value);
  }
  return filters;
}

function dateFilters(
  filters: ReadonlyMap<string, string>,
  name: 'DateSent' | 'StartTime',
): { op: '=' | '>' | '<'; filter: { at: number; wholeDay: boolean } }[] {
  return (['=', '>', '<'] as const).flatMap((op) => {
    const key = op === '=' ? name : `${name}${op}`;
    const value = filters.get(key);
    if (value === undefined) return [];
    const filter = parseFilterDate(value);
    if (filter === undefined) throw new TwilioApiError(400, 20001, `${key} is not a valid date: ${value}`);
    return [{ op, filter }];
  });
}

function credentialsMatch(header: string | undefined, deps: TwilioApiDeps): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const expected = `${deps.accountSid}:${deps.authToken}`;
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(decoded), digest(expected));
}
