/**
 * An SMS reply as every reply reader compares it (opt-out keywords, reminder answers, callback
 * answers, the `APPT`/`CALLBACK` prefix): accents stripped, case folded to upper, punctuation
 * dropped — except between digits, where it is part of a time (`16:30`, `4.30`) — and spaces
 * collapsed. `"¡Sí!"` → `SI`, `"No, gracias."` → `NO GRACIAS`, `" later  4:30pm "` → `LATER 4:30PM`.
 *
 * Pure and dependency-free: workflows read replies with it.
 */
export function normaliseReply(body: string): string {
  return body
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/(?<!\d)\p{P}+|\p{P}+(?!\d)/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
}

/**
 * How each workflow read a reply before patched('one-reply-normaliser'): only trailing
 * punctuation dropped, and accents stripped by reminders only, spaces collapsed by callbacks only.
 * Kept so that runs started before the patch replay as they ran; new code uses normaliseReply.
 */
export function normaliseReplyBeforePatch(reader: 'reminder' | 'callback', body: string): string {
  const trimmed = body.trim().replace(/[.!¡?¿]+$/u, '');
  return reader === 'reminder'
    ? trimmed
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toUpperCase()
    : trimmed.replace(/\s+/g, ' ').toUpperCase();
}
