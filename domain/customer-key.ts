import { createHmac } from 'node:crypto';

/**
 * The customer's key: a keyed hash of their normalised number or e-mail address. Workflow ids
 * and search attributes are never encrypted and show in the Temporal UI, so they carry this,
 * never the raw address; the key (CUSTOMER_KEY_SECRET) stops anyone from hashing a list of
 * numbers to find a customer's runs.
 *
 * A domain rule (the client, the CLI and the activities must agree on it), but not for workflow
 * code: the workflow bundle has no `node:crypto`, and workflows receive the key in their input.
 */
export function customerKeyFor(address: string, secret: string): string {
  const normalised = address.includes('@') ? address.trim().toLowerCase() : address.trim();
  return `c_${createHmac('sha256', secret).update(normalised).digest('base64url').slice(0, 24)}`;
}
