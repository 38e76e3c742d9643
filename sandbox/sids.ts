import { randomBytes } from 'node:crypto';

/** A Twilio-style SID: a two-letter prefix (`SM`, `CA`, …) and 32 lowercase hex digits. */
export function newSid(prefix: 'SM' | 'CA' | 'PN'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}
