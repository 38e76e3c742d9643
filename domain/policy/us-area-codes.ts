/**
 * US area codes (NPAs) of the states whose own telephone-solicitation hours the rules can apply, by
 * USPS/ISO 3166-2 state code. Overlays included. Only states listed here can be given `subdivisions`
 * rules; test/unit/policy/us-area-codes.test.ts checks each list against libphonenumber's geocoding
 * data, so a new overlay shows up as a failing test when that package is updated.
 */
export const US_STATE_AREA_CODES: Readonly<Record<string, readonly string[]>> = {
  FL: [
    '239',
    '305',
    '321',
    '324',
    '352',
    '386',
    '407',
    '448',
    '561',
    '645',
    '656',
    '689',
    '727',
    '728',
    '754',
    '772',
    '786',
    '813',
    '850',
    '863',
    '904',
    '941',
    '954',
  ],
  OK: ['405', '539', '572', '580', '918'],
  TX: [
    '210',
    '214',
    '254',
    '281',
    '325',
    '346',
    '361',
    '409',
    '430',
    '432',
    '469',
    '512',
    '682',
    '713',
    '726',
    '737',
    '806',
    '817',
    '830',
    '832',
    '903',
    '915',
    '936',
    '940',
    '945',
    '956',
    '972',
    '979',
  ],
  WA: ['206', '253', '360', '425', '509', '564'],
};

/**
 * North American area codes that place a number nowhere: easily recognisable codes (N00: 500, 700,
 * 900…), toll-free (800, 833–888 and the codes reserved for them), personal communications (5XX),
 * 456 (inbound international) and 710 (US government). Such a number may be in any state.
 */
export const NON_GEOGRAPHIC_AREA_CODE =
  /^(?:[2-9]00|456|710|5(?:2[1-9]|33|44|66|77|88)|8(?:22|33|44|55|66|77|8\d))$/;
