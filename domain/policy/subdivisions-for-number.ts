import { NON_GEOGRAPHIC_AREA_CODE, US_STATE_AREA_CODES } from './us-area-codes';

/** Where a number may be, among the subdivisions a country's numbering data knows. */
export interface NumberPlacement {
  /** Subdivision codes the number is or may be in; `any` when nothing places it. */
  readonly subdivisions: readonly string[] | 'any';
  /** For the explanation: `area code 305`, `toll-free or non-geographic area code 800`, `no phone number`. */
  readonly basis: string;
}

const NANP = /^\+1(\d{3})\d{7}$/;

/** Is there numbering data that can place a number of `country` in `subdivision`? */
export function hasNumberPlan(country: string, subdivision: string): boolean {
  return country === 'US' && subdivision in US_STATE_AREA_CODES;
}

export function knownSubdivisions(country: string): string[] {
  return country === 'US' ? Object.keys(US_STATE_AREA_CODES) : [];
}

/**
 * The subdivisions of `country` a number is in, from its area code: one state for a geographic US
 * area code the data lists, none for one it does not (another state), and `any` for a toll-free or
 * other non-geographic code, or no number at all — the caller then applies every subdivision's rule.
 */
export function subdivisionsForNumber(country: string, phone: string | undefined): NumberPlacement {
  if (country !== 'US') return { subdivisions: [], basis: 'no subdivision data for this country' };
  if (phone === undefined) return { subdivisions: 'any', basis: 'no phone number places the customer' };
  const areaCode = NANP.exec(phone)?.[1];
  if (areaCode === undefined) return { subdivisions: 'any', basis: 'the number is not a North American one' };
  if (NON_GEOGRAPHIC_AREA_CODE.test(areaCode)) {
    return { subdivisions: 'any', basis: `area code ${areaCode} is toll-free or non-geographic` };
  }
  const states = Object.entries(US_STATE_AREA_CODES)
    .filter(([, codes]) => codes.includes(areaCode))
    .map(([state]) => state);
  return { subdivisions: states, basis: `area code ${areaCode}` };
}
