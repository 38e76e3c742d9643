import { z } from 'zod';

/** Locales every template must have; others fall back to their language, then to `en`. */
export const requiredLocales = ['en', 'es'] as const;

export const templateSchema = z.object({
  /** Variables the template may use as {{name}}; every one must be given when rendering. */
  variables: z.array(
    z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'letters and digits, starting with a letter'),
  ),
  /** E-mail subject per locale (e-mail templates only). */
  subject: z.record(z.string(), z.string().min(1)).optional(),
  text: z.record(z.string(), z.string().min(1)),
});

export const messageCatalogSchema = z.record(
  z.string().regex(/^[a-z]+(\.[a-z-]+)+$/, 'dotted lower-case id, e.g. sms.callback.acknowledged'),
  templateSchema,
);

export type MessageTemplate = z.infer<typeof templateSchema>;
export type MessageCatalog = z.infer<typeof messageCatalogSchema>;

/**
 * The texts customers and agents read, per locale. Never ask for a reply of STOP, CANCEL, END,
 * QUIT or UNSUBSCRIBE to mean anything but an opt-out: carriers treat them as opt-outs.
 * A deployment overrides or adds templates
 * with TEMPLATES_FILE (same shape, validated at start-up). Keep SMS under 160 GSM characters
 * where possible: every extra segment is paced and billed.
 */
export const defaultMessageCatalog: MessageCatalog = {
  'sms.callback.acknowledged': {
    variables: ['company', 'eta'],
    text: {
      en: '{{company}}: sorry we missed you. We will call you back {{eta}}. Reply a time (e.g. 16:30) to choose, or NO if you no longer need us.',
      es: '{{company}}: sentimos no haberle atendido. Le llamaremos {{eta}}. Responda una hora (p. ej. 16:30) para elegir, o NO si ya no lo necesita.',
    },
  },
  'sms.callback.apology': {
    variables: ['company'],
    text: {
      en: '{{company}}: sorry we missed your call. Call us again at any time, we will be glad to help.',
      es: '{{company}}: sentimos no haber atendido su llamada. Llámenos cuando quiera, le atenderemos con gusto.',
    },
  },
  'sms.callback.missed': {
    variables: ['company'],
    text: {
      en: '{{company}}: we tried to call you back but could not reach you. Reply 1 to be called again.',
      es: '{{company}}: intentamos devolverle la llamada sin éxito. Responda 1 para que le llamemos de nuevo.',
    },
  },
  'sms.optout.confirmed': {
    variables: ['company'],
    text: {
      en: '{{company}}: you will receive no more messages from us. Reply START to undo.',
      es: '{{company}}: no recibirá más mensajes nuestros. Responda START para deshacerlo.',
    },
  },
  'sms.optin.confirmed': {
    variables: ['company'],
    text: {
      en: '{{company}}: you will receive our messages again. Reply STOP to opt out.',
      es: '{{company}}: volverá a recibir nuestros mensajes. Responda STOP para darse de baja.',
    },
  },
  'sms.help': {
    variables: ['company'],
    text: {
      en: '{{company}}: messages about your requests and appointments. Reply STOP to opt out, START to opt back in.',
      es: '{{company}}: mensajes sobre sus solicitudes y citas. Responda STOP para darse de baja y START para volver.',
    },
  },
  'voice.agent.whisper': {
    variables: [],
    text: {
      en: 'Callback. Connecting you to the customer now.',
      es: 'Devolución de llamada. Le conectamos con el cliente.',
    },
  },
  'voice.voicemail': {
    variables: ['company'],
    text: {
      en: 'Hello, this is {{company}} returning your call. We will try again later, or you can call us back at any time. Thank you.',
      es: 'Hola, le llamamos de {{company}} para devolverle su llamada. Lo intentaremos más tarde, o puede llamarnos cuando quiera. Gracias.',
    },
  },
  'sms.survey.thanks': {
    variables: ['company'],
    text: {
      en: '{{company}}: thank you for your kind rating. It means a lot to the team that helped you.',
      es: '{{company}}: gracias por su valoración. Significa mucho para el equipo que le atendió.',
    },
  },
  'email.survey.thanks': {
    variables: ['company'],
    subject: { en: '{{company}}: thank you', es: '{{company}}: gracias' },
    text: {
      en: 'Thank you for your kind rating. It means a lot to the team that helped you.\n\n{{company}}',
      es: 'Gracias por su valoración. Significa mucho para el equipo que le atendió.\n\n{{company}}',
    },
  },
  'email.rescue.alert': {
    variables: ['company', 'score', 'queue', 'agent', 'customer', 'comment', 'callback'],
    subject: {
      en: '{{company}} rescue: {{score}} from {{customer}} ({{queue}})',
      es: '{{company}} rescate: {{score}} de {{customer}} ({{queue}})',
    },
    text: {
      en: 'A customer rated an interaction {{score}}.\n\nCustomer: {{customer}}\nQueue: {{queue}}\nHandled by: {{agent}}\nComment: {{comment}}\n\nThe rescue desk has a high-priority callback: {{callback}}.',
      es: 'Un cliente valoró una interacción con {{score}}.\n\nCliente: {{customer}}\nCola: {{queue}}\nAtendido por: {{agent}}\nComentario: {{comment}}\n\nEl equipo de rescate tiene una devolución de llamada prioritaria: {{callback}}.',
    },
  },
  'email.callback.unreachable': {
    variables: ['company', 'name'],
    subject: {
      en: '{{company}}: we tried to call you back',
      es: '{{company}}: intentamos devolverle la llamada',
    },
    text: {
      en: 'Hello {{name}},\n\nWe tried to call you back several times but could not reach you. Reply to this e-mail or call us when it suits you.\n\n{{company}}',
      es: 'Hola {{name}}:\n\nIntentamos devolverle la llamada varias veces sin éxito. Responda a este correo o llámenos cuando le venga bien.\n\n{{company}}',
    },
  },
};
