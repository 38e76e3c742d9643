import type { ContactHistorySource } from '../contact-policy';
import type { Channel, ContactLogEntry, OptOut } from '../../domain/policy';
import { toInstant } from '../../domain/policy';
import { RESERVATION_LEASE_MS, RESERVED_OUTCOME, type LockedContactStore } from '../../store';
import { customerKeyFor } from '../../domain/customer-key';

/**
 * Feeds the contact policy from the contact store: opt-outs and do-not-contact entries for the
 * contact's number and address, and their recent contact log for frequency caps — sends about to
 * happen (reservations younger than their lease) included.
 */
export function contactHistoryFromStore(
  store: Pick<LockedContactStore, 'listOptOuts' | 'isDoNotContact' | 'recentContacts'>,
  customerKeySecret: string,
): ContactHistorySource {
  return {
    async lookup(contact, sinceEpochMs, nowEpochMs) {
      // An opt-out belongs to an address: `all` on a number covers its calls and texts, not e-mail.
      const addresses: { address: string; channels: Channel[] }[] = [];
      if (contact.phone !== undefined) addresses.push({ address: contact.phone, channels: ['voice', 'sms'] });
      if (contact.email !== undefined)
        addresses.push({ address: contact.email.toLowerCase(), channels: ['email'] });
      const optOuts: OptOut[] = [];
      let doNotContact = false;
      const contactLog: ContactLogEntry[] = [];
      for (const { address, channels } of addresses) {
        for (const optOut of await store.listOptOuts({ address })) {
          for (const channel of optOut.channel === 'all' ? channels : [optOut.channel]) {
            optOuts.push({ channel, source: optOut.source, at: toInstant(optOut.optedOutAt) });
          }
        }
        doNotContact ||= await store.isDoNotContact(address);
        for (const entry of await store.recentContacts(
          customerKeyFor(address, customerKeySecret),
          sinceEpochMs,
        )) {
          if (entry.outcome === RESERVED_OUTCOME && entry.at < nowEpochMs - RESERVATION_LEASE_MS) continue;
          contactLog.push({
            at: toInstant(entry.at),
            channel: entry.channel,
            purpose: entry.purpose,
            category: entry.category,
            ...(entry.workflowId !== null ? { outreachId: entry.workflowId } : {}),
          });
        }
      }
      return { optOuts, doNotContact, contactLog };
    },
  };
}
