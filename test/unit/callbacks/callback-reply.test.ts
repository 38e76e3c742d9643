import { parseCallbackReply } from '../../../domain/callbacks/callback-reply';

describe('parseCallbackReply', () => {
  it.each([
    ['NO', { kind: 'cancel' }],
    ['no gracias', { kind: 'cancel' }],
    ['1', { kind: 'call-me' }],
    ['Llamar', { kind: 'call-me' }],
    ['sí', { kind: 'call-me' }],
    ['later', { kind: 'later' }],
    ['LATER 16:30', { kind: 'later', localTime: { hour: 16, minute: 30 } }],
    ['luego a las 9h', { kind: 'later', localTime: { hour: 9, minute: 0 } }],
    ['4pm', { kind: 'later', localTime: { hour: 16, minute: 0 } }],
    ['12am', { kind: 'later', localTime: { hour: 0, minute: 0 } }],
    ['16.45', { kind: 'later', localTime: { hour: 16, minute: 45 } }],
    ['LATER 4pm ET', { kind: 'later', localTime: { hour: 16, minute: 0 }, timeZone: 'America/New_York' }],
    [
      'later 16:30 pacific',
      { kind: 'later', localTime: { hour: 16, minute: 30 }, timeZone: 'America/Los_Angeles' },
    ],
    ['4pm CT', { kind: 'later', localTime: { hour: 16, minute: 0 }, timeZone: 'America/Chicago' }],
    ['LATER 2 HOURS', { kind: 'later', inMinutes: 120 }],
    ['luego en 1 hora', { kind: 'later', inMinutes: 60 }],
    ['later in 90 min', { kind: 'later', inMinutes: 90 }],
    ['LATER 2h', { kind: 'later', localTime: { hour: 2, minute: 0 } }],
    ['LATER 4pm XYZ', { kind: 'later' }],
    ['4pm XYZ', { kind: 'unknown' }],
    ['2', { kind: 'unknown' }],
    ['25:00', { kind: 'unknown' }],
    ['who is this?', { kind: 'unknown' }],
  ])('reads %j', (body, expected) => {
    expect(parseCallbackReply(body)).toEqual(expected);
  });

  it.each([
    ['LATER 4pm ET', { kind: 'later' }],
    ['LATER 2 HOURS', { kind: 'later' }],
    ['4pm ET', { kind: 'unknown' }],
  ])('reads %j as runs started before zones and delays did', (body, expected) => {
    expect(parseCallbackReply(body, { zonesAndDelays: false })).toEqual(expected);
  });
});
