import { chooseReplyRoute, type ReplyWait } from '../../../domain/replies/choose-reply-route';

const reminder: ReplyWait = { workflowId: 'reminder-1', purpose: 'reminder', askedAtMs: 1_000 };
const callback: ReplyWait = { workflowId: 'callback-2', purpose: 'callback', askedAtMs: 2_000 };

describe('chooseReplyRoute', () => {
  it('gives a reply to nobody when nobody waits', () => {
    expect(chooseReplyRoute({ body: 'NO', waits: [] })).toEqual({ kind: 'nobody' });
  });

  it('gives a reply to the one outreach that waits and sent the latest text', () => {
    expect(chooseReplyRoute({ body: 'NO', waits: [reminder], lastSentBy: 'reminder-1' })).toEqual({
      kind: 'route',
      workflowId: 'reminder-1',
      body: 'NO',
    });
  });

  it('asks back when the latest text came from an outreach that does not wait', () => {
    expect(chooseReplyRoute({ body: 'NO', waits: [reminder], lastSentBy: 'notice-3' }).kind).toBe(
      'ambiguous',
    );
  });

  it('asks back when the words mean something to two waiting outreach runs', () => {
    expect(chooseReplyRoute({ body: 'NO', waits: [reminder, callback] }).kind).toBe('ambiguous');
  });

  it('gives words that mean something to one waiting run to that run, whichever asked last', () => {
    expect(chooseReplyRoute({ body: 'C', waits: [callback, reminder] })).toMatchObject({
      workflowId: 'reminder-1',
    });
    expect(chooseReplyRoute({ body: 'LATER 4pm', waits: [reminder, callback] })).toMatchObject({
      workflowId: 'callback-2',
    });
  });

  it('gives words that mean nothing to anyone to the latest asker, which keeps them for an agent', () => {
    expect(chooseReplyRoute({ body: 'who is this?', waits: [reminder, callback] })).toMatchObject({
      kind: 'route',
      workflowId: 'callback-2',
    });
  });

  it('follows a reply that names its outreach, without the name', () => {
    expect(chooseReplyRoute({ body: 'appt NO', waits: [reminder, callback], lastSentBy: 'x' })).toEqual({
      kind: 'route',
      workflowId: 'reminder-1',
      body: 'NO',
    });
    expect(chooseReplyRoute({ body: 'LLAMADA luego 16:00', waits: [reminder, callback] })).toEqual({
      kind: 'route',
      workflowId: 'callback-2',
      body: 'luego 16:00',
    });
    expect(chooseReplyRoute({ body: 'CALLBACK NO', waits: [reminder] }).kind).toBe('ambiguous');
  });

  it('treats a route from before purposes were kept as one any reply may be for', () => {
    const old: ReplyWait = { workflowId: 'old', purpose: 'any', askedAtMs: 0 };
    expect(chooseReplyRoute({ body: 'C', waits: [old, reminder] }).kind).toBe('ambiguous');
  });
});
