import { parseCallbackReply } from '../../../domain/callbacks/callback-reply';
import { chooseReplyRoute } from '../../../domain/replies/choose-reply-route';
import { normaliseReply } from '../../../domain/replies/normalise-reply';
import { classifyReminderReply } from '../../../domain/reminders/reply-intent';
import { classifyInboundKeyword } from '../../../domain/sms-keywords';

describe('normaliseReply', () => {
  it.each([
    ['¡Sí!', 'SI'],
    ['No, gracias.', 'NO GRACIAS'],
    ['  later   4:30pm ', 'LATER 4:30PM'],
    ['Más tarde, a las 16.30.', 'MAS TARDE A LAS 16.30'],
    ['"stop"', 'STOP'],
    ['LLÁMEME', 'LLAMEME'],
    ['confirmó?!', 'CONFIRMO'],
    ['', ''],
  ])(
    'reads %j as %j: accents stripped, case folded, punctuation dropped (kept between digits)',
    (body, words) => {
      expect(normaliseReply(body)).toBe(words);
    },
  );
});

describe('every reply reader reads through it', () => {
  it('takes a carrier keyword wrapped in punctuation as the keyword', () => {
    expect(classifyInboundKeyword('¡STOP!')).toBe('opt-out');
    expect(classifyInboundKeyword('"Start"')).toBe('opt-in');
  });

  it('reads accented, punctuated reminder answers', () => {
    expect(classifyReminderReply('¡Sí!')).toBe('confirm');
    expect(classifyReminderReply(' no. ')).toBe('cancel');
    expect(classifyReminderReply('¿Cambiar?')).toBe('reschedule');
  });

  it('reads accented, punctuated callback answers, times intact', () => {
    expect(parseCallbackReply('No, gracias')).toEqual({ kind: 'cancel' });
    expect(parseCallbackReply('¡Llámeme!')).toEqual({ kind: 'call-me' });
    expect(parseCallbackReply('Más tarde: 16:30.')).toEqual({
      kind: 'later',
      localTime: { hour: 16, minute: 30 },
    });
  });

  it('routes by a named outreach whatever its case and punctuation', () => {
    const route = chooseReplyRoute({
      body: 'Appt: yes',
      waits: [
        { workflowId: 'reminder-a', purpose: 'reminder', askedAtMs: 1 },
        { workflowId: 'callback-b', purpose: 'callback', askedAtMs: 2 },
      ],
    });
    expect(route).toEqual({ kind: 'route', workflowId: 'reminder-a', body: 'yes' });
  });

  it('reads as before for runs started before the one normaliser, so their replay decides the same', () => {
    expect(classifyReminderReply('¡Sí!', { beforeOneNormaliser: true })).toBe('unknown');
    expect(classifyReminderReply('Sí.', { beforeOneNormaliser: true })).toBe('confirm');
    expect(parseCallbackReply('No, gracias', { beforeOneNormaliser: true })).toEqual({ kind: 'unknown' });
    expect(parseCallbackReply('SÍ', { beforeOneNormaliser: true })).toEqual({ kind: 'call-me' });
    expect(parseCallbackReply('más tarde', { beforeOneNormaliser: true })).toEqual({ kind: 'later' });
    expect(parseCallbackReply('LLÁMEME', { beforeOneNormaliser: true })).toEqual({ kind: 'unknown' });
  });
});
