import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface NormalisedNumber {
  /** +CCNNN… */
  e164: string;
  /** ISO 3166-1 alpha-2, when the number belongs to one country. */
  country?: string;
  /** mobile, fixed-line, toll-free, … as libphonenumber sees it; undefined when it cannot tell. */
  type?: string;
}

/**
 * Parses a number as a caller typed it (national format needs `defaultCountry`) and returns it
 * in E.164, or undefined when it is not a valid number. Pure: libphonenumber's full ("max") metadata is
 * bundled data, so workflows and API validation may both use it.
 */
export function normalisePhoneNumber(input: string, defaultCountry?: string): NormalisedNumber | undefined {
  const parsed = parsePhoneNumberFromString(
    input.trim(),
    defaultCountry as Parameters<typeof parsePhoneNumberFromString>[1],
  );
  if (parsed === undefined || !parsed.isValid()) return undefined;
  const type = parsed.getType();
  return {
    e164: parsed.number,
    ...(parsed.country !== undefined ? { country: parsed.country } : {}),
    ...(type !== undefined ? { type: type.toLowerCase().replace(/_/g, '-') } : {}),
  };
}
