import type { OutboxCall, OutboxMessage } from './outbox';
import { rfc2822 } from './twilio-time';

export const API_VERSION = '2010-04-01';

const at = (ms: number | null): string | null => (ms === null ? null : rfc2822(new Date(ms)));

/** The Message resource as Twilio's API answers it (`api.v2010.account.message`). */
export function messageResource(message: OutboxMessage): Record<string, unknown> {
  const uri = `/${API_VERSION}/Accounts/${message.accountSid}/Messages/${message.sid}`;
  return {
    account_sid: message.accountSid,
    api_version: API_VERSION,
    body: message.body,
    date_created: at(message.dateCreated),
    date_sent: at(message.dateSent),
    date_updated: at(message.dateUpdated),
    direction: message.direction,
    error_code: message.errorCode,
    error_message: message.errorMessage,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    num_media: String(message.numMedia),
    num_segments: String(message.numSegments),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
    to: message.to,
    uri: `${uri}.json`,
  };
}

/** The Call resource as Twilio's API answers it (`api.v2010.account.call`). */
export function callResource(call: OutboxCall): Record<string, unknown> {
  const uri = `/${API_VERSION}/Accounts/${call.accountSid}/Calls/${call.sid}`;
  const sub = (name: string): string => `${uri}/${name}.json`;
  return {
    account_sid: call.accountSid,
    answered_by: call.answeredBy,
    api_version: API_VERSION,
    caller_name: null,
    date_created: at(call.dateCreated),
    date_updated: at(call.dateUpdated),
    direction: call.direction,
    duration: call.durationSeconds === null ? null : String(call.durationSeconds),
    end_time: at(call.endTime),
    forwarded_from: null,
    from: call.from,
    from_formatted: formatNumber(call.from),
    group_sid: null,
    parent_call_sid: call.parentCallSid,
    phone_number_sid: null,
    price: null,
    price_unit: 'USD',
    queue_time: '0',
    sid: call.sid,
    start_time: at(call.startTime),
    status: call.status,
    subresource_uris: {
      notifications: sub('Notifications'),
      recordings: sub('Recordings'),
      payments: sub('Payments'),
      events: sub('Events'),
      siprec: sub('Siprec'),
      streams: sub('Streams'),
      transcriptions: sub('Transcriptions'),
      user_defined_message_subscriptions: sub('UserDefinedMessageSubscriptions'),
      user_defined_messages: sub('UserDefinedMessages'),
    },
    to: call.to,
    to_formatted: formatNumber(call.to),
    trunk_sid: null,
    uri: `${uri}.json`,
  };
}

/** North American numbers as `(415) 555-0100`, others as given (Twilio's `*_formatted`). */
export function formatNumber(number: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : number;
}

const GSM7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;

/** SMS segments the body needs: GSM-7 160/153 characters, otherwise UCS-2 70/67 code units. */
export function countSegments(body: string): number {
  if (body.length === 0) return 1;
  const gsm = GSM7.test(body);
  // Characters from the GSM extension table take two septets.
  const units = gsm ? body.length + (body.match(/[\^{}\\[~\]|€]/g)?.length ?? 0) : body.length;
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return units <= single ? 1 : Math.ceil(units / multi);
}
