import {
  createTwilioClient,
  type TwilioClient,
  type TwilioClientOptions,
} from '../../../../providers/twilio-client';
import type { TwilioSandbox } from '../../../../sandbox';

/** The official `twilio` client pointed at `sandbox`, as Recontact builds it. */
export function clientFor(
  sandbox: TwilioSandbox,
  options: Partial<Omit<TwilioClientOptions, 'sandboxUrl'>> = {},
): TwilioClient {
  return createTwilioClient({
    accountSid: sandbox.accountSid,
    authToken: sandbox.authToken,
    sandboxUrl: sandbox.url,
    ...options,
  });
}

/** The RestException the library threw, or fails the test. */
export async function restError(
  promise: Promise<unknown>,
): Promise<{ status: number; code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { status, code, message } = error as { status: number; code: number; message: string };
    return { status, code, message };
  }
  throw new Error('expected the request to fail');
}
