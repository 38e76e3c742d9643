import type { ContactHistorySource } from '../contact-policy';
import type { ContactLogEntry, OptOut } from '../../domain/policy';
import { toInstant } from '../../domain/policy';
import type { ContactStore } from '../../store';
import { customerKeyFor } from './customer-key';

/**
 * Feeds the contact policy from the contact store: opt-outs and do-not-contact entries for the
 * contact's number and address, and their recent contact log for frequency caps.
 */
export function contactHistoryFromStore(
  store: ContactStore,
  customerKeySecret: string,
): ContactHistorySource {
  return {
    async lookup(contact, sinceEpochMs) {
      const addresses = [contact.phone, contact.email?.toLowerCase()].filter(
        (address): address is string => address !== undefined,
      );
      const optOuts: OptOut[] = [];
      let doNotContact = false;
      const contactLog: ContactLogEntry[] = [];
      for (const address of addresses) {
        for (const optOut of await store.listOptOuts({ address })) {
          optOuts.push({
            ...(optOut.channel === 'all' ? {} : { channel: optOut.channel }),
            source: optOut.source,
            at: toInstant(optOut.optedOutAt),
          });
        }
        doNotContact ||= await store.isDoNotContact(address);
        for (const entry of await store.recentContacts(
          customerKeyFor(address, customerKeySecret),
          sinceEpochMs,
        )) {
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
