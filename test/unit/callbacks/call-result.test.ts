import { callResult } from '../../../domain/callbacks/call-result';

describe('callResult', () => {
  it('is undefined while the call goes on', () => {
    expect(callResult([{ status: 'ringing' }, { status: 'in-progress' }])).toBeUndefined();
  });

  it('is connected when a person answered the dialled leg', () => {
    expect(
      callResult([
        { status: 'customer-answered', answeredBy: 'human' },
        { status: 'dial-result', dialCallStatus: 'completed' },
      ]),
    ).toBe('connected');
  });

  it.each(['completed', 'no-answer'])(
    'is voicemail when a machine answered, whatever the dial reports (%s)',
    (dialCallStatus) => {
      expect(
        callResult([
          { status: 'customer-answered', answeredBy: 'machine_end_beep' },
          { status: 'dial-result', dialCallStatus },
        ]),
      ).toBe('voicemail');
    },
  );

  it.each([
    ['busy', 'busy'],
    ['no-answer', 'no-answer'],
    ['failed', 'failed'],
    ['canceled', 'ended'],
  ])('maps DialCallStatus %s to %s', (dialCallStatus, expected) => {
    expect(callResult([{ status: 'dial-result', dialCallStatus }])).toBe(expected);
  });

  it('is agent-missed when the agent leg ended without dialling the customer', () => {
    expect(callResult([{ status: 'ringing' }, { status: 'no-answer' }])).toBe('agent-missed');
  });
});
