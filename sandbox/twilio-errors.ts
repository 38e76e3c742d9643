/** Twilio's JSON error body, e.g. `{ code: 21211, message, more_info, status: 400 }`. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** An API request the sandbox refuses, answered in Twilio's error shape. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioApiError';
  }

  toBody(): TwilioErrorBody {
    return twilioErrorBody(this.status, this.code, this.message);
  }
}

export function twilioErrorBody(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** The short description Twilio gives a delivery or call error code (`ErrorMessage`). */
export const twilioErrorMessages: Readonly<Record<number, string>> = {
  11200: 'HTTP retrieval failure',
  12100: 'Document parse failure',
  12200: 'Schema validation warning',
  30003: 'Unreachable destination handset',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
};
