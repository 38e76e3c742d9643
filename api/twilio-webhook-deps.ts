import type { Client } from '@temporalio/client';
import type { Services } from '../runtime/services';
import { SMS_STOP_SOURCE } from '../store';
import { renderTemplate } from '../domain/templates';
import { routeReply } from './reply-routing';
import type { MessagingWebhookDeps } from './twilio-messaging-webhooks';
import type { VoiceWebhookDeps } from './twilio-voice-webhooks';

export interface TwilioWebhookDeps {
  messaging: MessagingWebhookDeps;
  voice: VoiceWebhookDeps;
}

/** Connects the Twilio webhooks to the contact store, the templates and the workflows. */
export function twilioWebhookDeps(services: Services, temporal: Client): TwilioWebhookDeps {
  const { store, catalog, config } = services;
  const company = { company: config.COMPANY_NAME };
  const reply = (template: string): string => renderTemplate(catalog, template, 'en', company).text;
  return {
    messaging: {
      temporal,
      authToken: services.twilioAuthToken,
      publicUrl: services.publicUrl,
      claimWebhook: (token) => store.markWebhookProcessed(token),
      releaseWebhook: async (token) => {
        await store.releaseWebhook(token);
      },
      // STOP over SMS stops every contact with that number, calls included; START undoes that STOP
      // and nothing else (docs/contact-store.md): a link, an agent, the carrier or do-not-contact stay.
      optOut: async (address, source) => {
        await store.recordOptOut({ address, channel: 'all', source, at: Date.now() });
      },
      optIn: async (address) => {
        await store.removeOptOutsFrom(address, SMS_STOP_SOURCE);
        return (await store.contactBlock(address, 'sms')) === undefined;
      },
      recordCallSid: async (attemptKey, callSid) => {
        await store.recordReportedProviderId(attemptKey, 'voice', callSid);
      },
      recordStatusReport: async (report) => {
        await store.recordStatusReport(report);
      },
      routeReply: (address, body) => routeReply({ store, temporal }, address, body),

      replies: {
        optedOut: reply('sms.optout.confirmed'),
        optedIn: reply('sms.optin.confirmed'),
        stillOptedOut: reply('sms.optin.still-opted-out'),
        help: reply('sms.help'),
        whichOutreach: reply('sms.reply.which-outreach'),
      },
    },
    voice: {
      temporal,
      authToken: services.twilioAuthToken,
      publicUrl: services.publicUrl,
      callerId: config.TWILIO_VOICE_FROM,
      customerNumberOf: async (attemptKey) => (await store.getAttempt(attemptKey))?.to,
      render: (template, locale) => renderTemplate(catalog, template, locale, company),
    },
  };
}
