import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import { projectRoot } from '../../../runtime/project-paths';
import { acceptedParams, startSandbox, type OperationId, type TwilioSandbox } from '../../../sandbox';
import { startWebhookRecorder, type WebhookRecorder } from './support/webhook-recorder';

/**
 * The sandbox checked against Twilio's own OpenAPI description of API v2010, read from
 * ../shared/twilio/ (never copied into the project): every success response validates against the
 * operation's response schema, and every parameter the sandbox reads is one the operation declares.
 */
type JsonSchema = Record<string, unknown>;
interface OpenApiOperation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, JsonSchema> } }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}
interface OpenApi {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

const specPath = path.join(projectRoot(), '..', 'shared', 'twilio', 'twilio_api_v2010.json');
const spec: OpenApi | undefined = existsSync(specPath)
  ? (JSON.parse(readFileSync(specPath, 'utf8')) as OpenApi)
  : undefined;
const skipReason = `${specPath} is absent (Twilio's OpenAPI description stays in ../shared/twilio/, see its README)`;
if (spec === undefined) console.warn(`Twilio OpenAPI contract test skipped: ${skipReason}`);
const describeContract = spec === undefined ? describe.skip : describe;
const title =
  spec === undefined
    ? `the sandbox against Twilio's OpenAPI description — skipped: ${skipReason}`
    : "the sandbox against Twilio's official OpenAPI description (api_v2010)";

function operation(id: OperationId | 'FetchMessage' | 'FetchCall'): OpenApiOperation {
  for (const methods of Object.values(spec?.paths ?? {})) {
    for (const candidate of Object.values(methods)) {
      if (typeof candidate === 'object' && candidate?.operationId === id) return candidate;
    }
  }
  throw new Error(`operation ${id} is not in the OpenAPI description`);
}

function validatorFactory(openApi: OpenApi): (id: string, status: string) => ValidateFunction {
  const ajv = new Ajv({ strict: true, strictTypes: false, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword('x-twilio');
  // Twilio marks paging URIs `format: uri`, but its examples and its API give paths relative to
  // https://api.twilio.com: they are URI references.
  ajv.addFormat('uri', fullFormats['uri-reference']);
  ajv.addFormat('phone-number', /^(\+[1-9]\d{1,14}|\d{3,8}|[A-Za-z0-9 ]{1,11}|(client|sip|whatsapp):.+)$/);
  ajv.addFormat('date-time-rfc-2822', {
    type: 'string',
    validate: (value: string) =>
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/.test(
        value,
      ) && !Number.isNaN(Date.parse(value)),
  });
  ajv.addFormat('currency', /^[A-Z]{3}$/);
  // Applies to objects (subresource_uris), which ajv formats do not check: checked by hand below.
  ajv.addFormat('uri-map', { type: 'string', validate: () => true });
  const refs = (value: unknown): JsonSchema =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"twilio#/$defs/')) as JsonSchema;
  ajv.addSchema({ $id: 'twilio', $defs: refs(openApi.components.schemas) });
  const cache = new Map<string, ValidateFunction>();
  return (id, status) => {
    const key = `${id} ${status}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const schema = operation(id as OperationId).responses[status]?.content?.['application/json']?.schema;
    if (schema === undefined) throw new Error(`${id} describes no ${status} JSON response`);
    const compiled = ajv.compile(refs(schema));
    cache.set(key, compiled);
    return compiled;
  };
}

describeContract(title, () => {
  let sandbox: TwilioSandbox;
  let hooks: WebhookRecorder;
  let validator: (id: string, status: string) => ValidateFunction;
  let api: (
    method: 'GET' | 'POST',
    resource: string,
    form?: Record<string, string | string[]>,
  ) => Promise<Response>;

  /** Validates a response body against the operation's schema and Twilio's relative resource URIs. */
  async function expectConforming(
    id: string,
    response: Response,
    status: '200' | '201',
  ): Promise<JsonSchema> {
    const body = (await response.json()) as JsonSchema;
    expect({ status: response.status, body }).toMatchObject({ status: Number(status) });
    const validate = validator(id, status);
    const valid = validate(body);
    expect({ id, errors: valid ? null : validate.errors }).toEqual({ id, errors: null });
    const resources = (body.messages ?? body.calls ?? [body]) as JsonSchema[];
    for (const resource of resources) {
      const uris = Object.values((resource.subresource_uris ?? {}) as Record<string, unknown>);
      expect(uris.every((uri) => typeof uri === 'string' && uri.startsWith('/2010-04-01/Accounts/'))).toBe(
        true,
      );
    }
    return body;
  }

  beforeAll(async () => {
    if (spec === undefined) return;
    validator = validatorFactory(spec);
    sandbox = await startSandbox({ stepDelayMs: 2 });
    hooks = await startWebhookRecorder((request) =>
      request.path === '/voice'
        ? {
            body: '<Response><Say>Hi</Say><Dial action="/after"><Number machineDetection="Enable">+14155550100</Number></Dial></Response>',
          }
        : request.path === '/hold'
          ? { body: '<Response><Pause length="5"/><Redirect>/hold</Redirect></Response>' }
          : undefined,
    );
    const authorization = `Basic ${Buffer.from(`${sandbox.accountSid}:${sandbox.authToken}`).toString('base64')}`;
    api = (method, resource, form) => {
      const body = new URLSearchParams();
      for (const [key, value] of Object.entries(form ?? {})) {
        for (const item of Array.isArray(value) ? value : [value]) body.append(key, item);
      }
      return fetch(`${sandbox.url}/2010-04-01/Accounts/${sandbox.accountSid}/${resource}`, {
        method,
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        ...(method === 'POST' ? { body: body.toString() } : {}),
      });
    };
  });
  afterAll(async () => {
    await sandbox?.stop();
    await hooks?.close();
  });

  it.each(Object.keys(acceptedParams) as OperationId[])(
    'reads only parameters that %s declares in the official description',
    (id) => {
      const declared = operation(id);
      const names = new Set([
        ...Object.keys(
          declared.requestBody?.content['application/x-www-form-urlencoded']?.schema.properties ?? {},
        ),
        ...(declared.parameters ?? [])
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => parameter.name),
      ]);
      expect(acceptedParams[id].filter((name) => !names.has(name))).toEqual([]);
    },
  );

  it('answers message create, fetch and list (with paging) as the Message schemas describe', async () => {
    const created = await expectConforming(
      'CreateMessage',
      await api('POST', 'Messages.json', {
        To: '+14155550110',
        From: '+15005550006',
        Body: 'contract ✓',
        StatusCallback: `${hooks.url}/s`,
      }),
      '201',
    );
    await expectConforming(
      'CreateMessage',
      await api('POST', 'Messages.json', {
        To: '+14155550188',
        MessagingServiceSid: `MG${'b'.repeat(32)}`,
        Body: 'via a service',
        MediaUrl: ['https://example.com/a.png'],
      }),
      '201',
    );
    await api('POST', 'Messages.json', { To: '+14155550114', From: '+15005550006', Body: 'fails' });
    await sandbox.simulateInboundSms({
      from: '+14155550189',
      to: '+15005550006',
      body: 'hi',
      url: `${hooks.url}/in`,
    });
    await sandbox.idle();
    const fetched = await expectConforming(
      'FetchMessage',
      await api('GET', `Messages/${String(created.sid)}.json`),
      '200',
    );
    expect(fetched).toMatchObject({ status: 'undelivered', error_code: 30003 });
    const first = await expectConforming('ListMessage', await api('GET', 'Messages.json?PageSize=2'), '200');
    expect(first.next_page_uri).toEqual(expect.stringContaining('Page=1'));
    const second = await expectConforming(
      'ListMessage',
      await api('GET', 'Messages.json?PageSize=2&Page=1'),
      '200',
    );
    expect(second.previous_page_uri).toEqual(expect.stringContaining('Page=0'));
    await expectConforming(
      'ListMessage',
      await api('GET', 'Messages.json?To=%2B14155550110&DateSent%3E=2020-01-01'),
      '200',
    );
  });

  it('answers call create, fetch, update and list (legs included) as the Call schemas describe', async () => {
    const created = await expectConforming(
      'CreateCall',
      await api('POST', 'Calls.json', {
        To: '+14155550103',
        From: '+15005550006',
        Url: `${hooks.url}/voice`,
        MachineDetection: 'DetectMessageEnd',
        StatusCallback: `${hooks.url}/status`,
        StatusCallbackEvent: ['initiated', 'answered', 'completed'],
      }),
      '201',
    );
    await expectConforming(
      'CreateCall',
      await api('POST', 'Calls.json', {
        To: '+14155550101',
        From: '+15005550006',
        Twiml: '<Response><Say>x</Say></Response>',
      }),
      '201',
    );
    const held = await expectConforming(
      'CreateCall',
      await api('POST', 'Calls.json', { To: '+14155550100', From: '+15005550006', Url: `${hooks.url}/hold` }),
      '201',
    );
    const queued = await expectConforming(
      'CreateCall',
      await api('POST', 'Calls.json', { To: '+14155550100', From: '+15005550006', Url: `${hooks.url}/hold` }),
      '201',
    );
    const canceled = await expectConforming(
      'UpdateCall',
      await api('POST', `Calls/${String(queued.sid)}.json`, { Status: 'completed' }),
      '200',
    );
    // Hung up before answer it is canceled, after answer completed: either way over at once.
    expect(canceled.status).toMatch(/^(canceled|completed)$/);
    await hooks.waitFor((requests) => requests.find((request) => request.params.CallSid === held.sid));
    await expectConforming(
      'UpdateCall',
      await api('POST', `Calls/${String(held.sid)}.json`, { Twiml: '<Response><Hangup/></Response>' }),
      '200',
    );
    await sandbox.idle();
    const ended = await expectConforming(
      'UpdateCall',
      await api('POST', `Calls/${String(held.sid)}.json`, { Status: 'completed' }),
      '200',
    );
    expect(ended.status).toBe('completed');
    const fetched = await expectConforming(
      'FetchCall',
      await api('GET', `Calls/${String(created.sid)}.json`),
      '200',
    );
    expect(fetched).toMatchObject({ status: 'completed', answered_by: 'machine_end_beep' });
    const list = await expectConforming('ListCall', await api('GET', 'Calls.json?PageSize=2'), '200');
    expect(list.next_page_uri).not.toBeNull();
    const legs = await expectConforming(
      'ListCall',
      await api('GET', `Calls.json?ParentCallSid=${String(created.sid)}`),
      '200',
    );
    expect((legs.calls as JsonSchema[]).map((leg) => leg.parent_call_sid)).toEqual([created.sid]);
  });
});
