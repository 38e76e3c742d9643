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
  'sms.callback.time-unclear': {
    variables: ['company', 'time'],
    text: {
      en: '{{company}}: which time zone is {{time}} in for you? Reply e.g. LATER {{time}} ET, or LATER 2 HOURS. Until then your callback stays as planned.',
      es: '{{company}}: ¿en qué zona horaria son las {{time}} para usted? Responda p. ej. LUEGO {{time}} ET, o LUEGO 2 HORAS. Mientras, su llamada sigue como estaba.',
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
  'sms.optin.still-opted-out': {
    variables: ['company'],
    text: {
      en: '{{company}}: you also opted out another way (a link, an agent or your carrier), so we still will not message you. Contact us to change that.',
      es: '{{company}}: también se dio de baja de otra forma (un enlace, un agente o su operador), así que no le escribiremos. Contáctenos para cambiarlo.',
    },
  },
  'sms.reply.which-outreach': {
    variables: ['company'],
    text: {
      en: '{{company}}: you have more than one request open with us, so we did nothing yet. Reply again starting with APPT (appointment) or CALLBACK, e.g. APPT NO.',
      es: '{{company}}: tiene más de una gestión abierta, así que aún no hemos hecho nada. Responda de nuevo empezando por CITA o LLAMADA, p. ej. CITA NO.',
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
  'sms.reminder.confirm': {
    variables: ['company', 'when'],
    text: {
      en: '{{company}}: reminder of your appointment on {{when}}. Reply C to confirm, N to cancel or R to change the time.',
      es: '{{company}}: le recordamos su cita el {{when}}. Responda C para confirmar, N para anularla o R para cambiar la hora.',
    },
  },
  'sms.reminder.upcoming': {
    variables: ['company', 'when'],
    text: {
      en: '{{company}}: see you soon, your appointment is on {{when}}.',
      es: '{{company}}: hasta pronto, su cita es el {{when}}.',
    },
  },
  'email.reminder.confirm': {
    variables: ['company', 'when', 'confirmLink', 'cancelLink', 'rescheduleLink'],
    subject: {
      en: '{{company}}: your appointment on {{when}}',
      es: '{{company}}: su cita del {{when}}',
    },
    text: {
      en: 'Hello,\n\nThis is a reminder of your appointment on {{when}}.\n\nConfirm: {{confirmLink}}\nCancel: {{cancelLink}}\nAsk for another time: {{rescheduleLink}}\n\n{{company}}',
      es: 'Hola:\n\nLe recordamos su cita el {{when}}.\n\nConfirmar: {{confirmLink}}\nAnular: {{cancelLink}}\nPedir otra hora: {{rescheduleLink}}\n\n{{company}}',
    },
  },
  'email.reminder.upcoming': {
    variables: ['company', 'when'],
    subject: {
      en: '{{company}}: your appointment on {{when}}',
      es: '{{company}}: su cita del {{when}}',
    },
    text: {
      en: 'Hello,\n\nThis is a reminder of your appointment on {{when}}. See you soon.\n\n{{company}}',
      es: 'Hola:\n\nLe recordamos su cita el {{when}}. Hasta pronto.\n\n{{company}}',
    },
  },
  'sms.courtesy.thanks': {
    variables: ['company'],
    text: {
      en: '{{company}}: thank you for your purchase. We hope you are enjoying it; reply if we can help with anything.',
      es: '{{company}}: gracias por su compra. Esperamos que la disfrute; responda si podemos ayudarle en algo.',
    },
  },
  'email.courtesy.thanks': {
    variables: ['company'],
    subject: {
      en: '{{company}}: thank you',
      es: '{{company}}: gracias',
    },
    text: {
      en: 'Hello,\n\nThank you for your purchase. We hope you are enjoying it; reply to this e-mail if we can help with anything.\n\n{{company}}',
      es: 'Hola:\n\nGracias por su compra. Esperamos que la disfrute; responda a este correo si podemos ayudarle en algo.\n\n{{company}}',
    },
  },
  'sms.courtesy.occasion': {
    variables: ['company', 'occasion', 'date'],
    text: {
      en: '{{company}}: {{occasion}} is coming up on {{date}}. Reply if you would like us to help you prepare.',
      es: '{{company}}: se acerca {{occasion}}, el {{date}}. Responda si quiere que le ayudemos a prepararlo.',
    },
  },
  'email.courtesy.occasion': {
    variables: ['company', 'occasion', 'date'],
    subject: {
      en: '{{company}}: {{occasion}} is coming up',
      es: '{{company}}: se acerca {{occasion}}',
    },
    text: {
      en: 'Hello,\n\n{{occasion}} is coming up on {{date}}. Reply to this e-mail if you would like us to help you prepare.\n\n{{company}}',
      es: 'Hola:\n\nSe acerca {{occasion}}, el {{date}}. Responda a este correo si quiere que le ayudemos a prepararlo.\n\n{{company}}',
    },
  },
  'sms.notice.service': {
    variables: ['company', 'message'],
    text: {
      en: '{{company}}: {{message}}',
      es: '{{company}}: {{message}}',
    },
  },
  'email.notice.service': {
    variables: ['company', 'subject', 'message'],
    subject: {
      en: '{{company}}: {{subject}}',
      es: '{{company}}: {{subject}}',
    },
    text: {
      en: 'Hello,\n\n{{message}}\n\n{{company}}',
      es: 'Hola:\n\n{{message}}\n\n{{company}}',
    },
  },
};
