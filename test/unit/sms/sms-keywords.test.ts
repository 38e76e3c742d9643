import { classifyInboundKeyword } from '../../../domain/sms-keywords';

describe('inbound SMS keywords', () => {
  it.each(['STOP', 'stop', ' Stop. ', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE'])(
    'treats %j as an opt-out',
    (body) => expect(classifyInboundKeyword(body)).toBe('opt-out'),
  );

  it.each(['START', 'unstop'])('treats %j as an opt-in', (body) =>
    expect(classifyInboundKeyword(body)).toBe('opt-in'),
  );

  it('answers HELP and INFO', () => {
    expect(classifyInboundKeyword('help')).toBe('help');
    expect(classifyInboundKeyword('INFO?')).toBe('help');
  });

  it('routes everything else as a reply, including sentences that contain a keyword and YES', () => {
    expect(classifyInboundKeyword('Stop calling me at work')).toBe('other');
    expect(classifyInboundKeyword('YES')).toBe('other');
    expect(classifyInboundKeyword('LATER')).toBe('other');
  });
});
