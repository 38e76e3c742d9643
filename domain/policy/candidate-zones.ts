import type { Contact } from './contact-request';
import type { CountryRule } from './rules-schema';

export interface CandidateZones {
  readonly timeZones: readonly string[];
  /** Where the zones came from, for the explanation. */
  readonly basis: 'known-zone' | 'candidate-zones' | 'country-zones' | 'none';
}

/**
 * The zones the called party may be in. A known zone wins; then the candidates for the number; then every
 * zone of the country. Never UTC: with none of these the caller must treat the local time as unknown.
 */
export function candidateZones(contact: Contact, countryRule: CountryRule): CandidateZones {
  if (contact.timeZone !== undefined) return { timeZones: [contact.timeZone], basis: 'known-zone' };
  if (contact.candidateTimeZones.length > 0) {
    return { timeZones: [...new Set(contact.candidateTimeZones)], basis: 'candidate-zones' };
  }
  if (countryRule.timeZones.length > 0) return { timeZones: countryRule.timeZones, basis: 'country-zones' };
  return { timeZones: [], basis: 'none' };
}
