import { redactText } from '../../runtime/log-redaction';
import { customerKeyFor } from '../../domain/customer-key';

/**
 * How a failure message names a customer: by their keyed hash (the key workflow ids and search
 * attributes carry), never by number or address — failures outlive the run in its history.
 */
export function customerLabel(address: string, customerKeySecret: string | undefined): string {
  return customerKeySecret === undefined
    ? `customer ${redactText(address)}`
    : `customer ${customerKeyFor(address, customerKeySecret)}`;
}

/** A provider's error text with the recipient named by {@link customerLabel} and any other number or address redacted. */
export function withoutPersonalData(text: string, address?: string, customerKeySecret?: string): string {
  const named =
    address === undefined || address === ''
      ? text
      : text.split(address).join(customerLabel(address, customerKeySecret));
  return redactText(named);
}
