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
    ['2', { kind: 'unknown' }],
    ['25:00', { kind: 'unknown' }],
    ['who is this?', { kind: 'unknown' }],
  ])('reads %j', (body, expected) => {
    expect(parseCallbackReply(body)).toEqual(expected);
  });
});
