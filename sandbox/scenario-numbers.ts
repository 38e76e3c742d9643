/**
 * Recontact's own scenario numbers: what happens after Twilio accepted a call or a message. They
 * are in the fictional 555-0100…0199 range (San Francisco, +1 415), so they parse as valid
 * numbers with a real time zone. Any other valid number: SMS delivered, call answered by a person.
 * docs/twilio-sandbox.md shows this table.
 */
export const scenarioNumbers = [
  {
    number: '+14155550100',
    channel: 'voice',
    name: 'human',
    description: 'A person answers after 2 rings (AnsweredBy human) and hangs up after 30 s of talk.',
  },
  {
    number: '+14155550101',
    channel: 'voice',
    name: 'busy',
    description: 'The line is busy: CallStatus busy, DialCallStatus busy, SIP 486.',
  },
  {
    number: '+14155550102',
    channel: 'voice',
    name: 'no-answer',
    description: 'Rings until the timeout: CallStatus no-answer, DialCallStatus no-answer, SIP 487.',
  },
  {
    number: '+14155550103',
    channel: 'voice',
    name: 'voicemail',
    description:
      'Voicemail answers after 4 rings: AnsweredBy machine_end_beep (machineDetection DetectMessageEnd) or machine_start (Enable); it records for up to 20 s.',
  },
  {
    number: '+14155550104',
    channel: 'voice',
    name: 'failed',
    description: 'The call cannot be connected: CallStatus failed, DialCallStatus failed, SIP 404.',
  },
  {
    number: '+14155550110',
    channel: 'sms',
    name: 'unreachable',
    description: 'Sent, then undelivered with ErrorCode 30003 (unreachable destination handset).',
  },
  {
    number: '+14155550111',
    channel: 'sms',
    name: 'unknown-handset',
    description: 'Sent, then undelivered with ErrorCode 30005 (unknown destination handset).',
  },
  {
    number: '+14155550112',
    channel: 'sms',
    name: 'landline',
    description: 'Sent, then undelivered with ErrorCode 30006 (landline or unreachable carrier).',
  },
  {
    number: '+14155550113',
    channel: 'sms',
    name: 'carrier-filtered',
    description: 'Sent, then undelivered with ErrorCode 30007 (message filtered).',
  },
  {
    number: '+14155550114',
    channel: 'sms',
    name: 'unknown-error',
    description: 'Never sent: failed with ErrorCode 30008 (unknown error).',
  },
] as const;

export type ScenarioNumber = (typeof scenarioNumbers)[number];

/** How a dialled number behaves. */
export interface CallScenario {
  name: 'human' | 'busy' | 'no-answer' | 'voicemail' | 'failed';
  /** Who picks up; undefined when nobody does. */
  answeredBy?: 'human' | 'machine';
  /** Final status when nobody picks up. */
  unansweredStatus?: 'busy' | 'no-answer' | 'failed';
  /** Simulated seconds of ringing before the outcome (no-answer rings until the timeout). */
  ringSeconds: number;
  /** Simulated seconds the callee stays on a bridged call before hanging up. */
  talkSeconds: number;
  sipResponseCode: number;
}

/** How a texted number behaves after the message was accepted. */
export interface SmsScenario {
  name: string;
  finalStatus: 'delivered' | 'undelivered' | 'failed';
  errorCode?: number;
}

const callScenarios: Readonly<Record<CallScenario['name'], CallScenario>> = {
  human: { name: 'human', answeredBy: 'human', ringSeconds: 2, talkSeconds: 30, sipResponseCode: 200 },
  busy: { name: 'busy', unansweredStatus: 'busy', ringSeconds: 0, talkSeconds: 0, sipResponseCode: 486 },
  'no-answer': {
    name: 'no-answer',
    unansweredStatus: 'no-answer',
    ringSeconds: Number.POSITIVE_INFINITY,
    talkSeconds: 0,
    sipResponseCode: 487,
  },
  voicemail: {
    name: 'voicemail',
    answeredBy: 'machine',
    ringSeconds: 4,
    talkSeconds: 20,
    sipResponseCode: 200,
  },
  failed: {
    name: 'failed',
    unansweredStatus: 'failed',
    ringSeconds: 0,
    talkSeconds: 0,
    sipResponseCode: 404,
  },
};

const smsScenarios: Readonly<Record<string, SmsScenario>> = {
  unreachable: { name: 'unreachable', finalStatus: 'undelivered', errorCode: 30003 },
  'unknown-handset': { name: 'unknown-handset', finalStatus: 'undelivered', errorCode: 30005 },
  landline: { name: 'landline', finalStatus: 'undelivered', errorCode: 30006 },
  'carrier-filtered': { name: 'carrier-filtered', finalStatus: 'undelivered', errorCode: 30007 },
  'unknown-error': { name: 'unknown-error', finalStatus: 'failed', errorCode: 30008 },
};

/** The scenario for a dialled number: a listed voice number's, otherwise a person answers. */
export function callScenarioFor(number: string): CallScenario {
  const entry = scenarioNumbers.find((row) => row.channel === 'voice' && row.number === number);
  return callScenarios[(entry?.name ?? 'human') as CallScenario['name']];
}

/** The scenario for a texted number: a listed SMS number's, otherwise delivered. */
export function smsScenarioFor(number: string): SmsScenario {
  const entry = scenarioNumbers.find((row) => row.channel === 'sms' && row.number === number);
  return (entry && smsScenarios[entry.name]) ?? { name: 'delivered', finalStatus: 'delivered' };
}
