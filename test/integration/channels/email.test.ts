import { randomUUID } from 'node:crypto';
import { deliverMessage } from '../../../workflows/deliver-message';
import { customerKeyFor } from '../../../domain/customer-key';
import { startChannelStack, type ChannelStack } from '../../harness/channels';
import { REJECT_DOMAIN } from '../../../sandbox';

describe('e-mail through nodemailer to a real SMTP server on loopback', () => {
  let stack: ChannelStack;
  beforeAll(async () => {
    stack = await startChannelStack({ COMPANY_NAME: 'Acme' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const deliver = (email: string, locale: string) =>
    stack.temporal.workflow.execute(deliverMessage, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: `email-${randomUUID()}`,
      args: [
        {
          channel: 'email',
          contact: { email, country: 'US', timeZone: 'America/New_York' },
          customerKey: customerKeyFor(email, stack.services.customerKeySecret),
          template: 'email.callback.unreachable',
          locale,
          variables: { company: 'Acme', name: 'Ana' },
          purpose: 'callback',
        },
      ],
    });

  it('arrives with the subject and body in the customer locale, our From and a pinned Message-ID', async () => {
    const result = await deliver('Ana.Garcia@Example.com', 'es-ES');
    expect(result.outcome).toBe('sent');
    const received = stack.sandbox.outbox
      .snapshot()
      .emails.filter((mail) => mail.messageId === result.providerId);
    expect(received).toHaveLength(1);
    const mail = received[0];
    expect(mail?.to).toEqual(['ana.garcia@example.com']);
    expect(mail?.subject).toBe('Acme: intentamos devolverle la llamada');
    expect(mail?.text).toContain('Hola Ana:');
    expect(mail?.headers['content-language']).toBe('es');
    expect(mail?.from).toContain('no-reply@recontact.invalid');
    expect(result.providerId).toMatch(/^<[0-9a-f]{32}@recontact\.invalid>$/);
  });

  it('fails a run with a bad input at once, naming the field, instead of retrying it', async () => {
    const failure = await stack.temporal.workflow
      .execute(deliverMessage, {
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        workflowId: `email-bad-${randomUUID()}`,
        args: [{ channel: 'fax' } as never],
      })
      .then(
        () => undefined,
        (error: unknown) => error as Error & { cause?: Error },
      );
    expect(String(failure?.cause?.message)).toMatch(/invalid deliverMessage input: channel:/);
  });

  it('treats an SMTP 550 for the recipient as final: no retry, outcome invalid-recipient', async () => {
    const result = await deliver(`nobody@${REJECT_DOMAIN}`, 'en');
    expect(result.outcome).toBe('invalid-recipient');
    expect(result.detail).toMatch(/550/);
    expect(
      stack.sandbox.outbox.snapshot().emails.filter((mail) => mail.to.includes(`nobody@${REJECT_DOMAIN}`)),
    ).toEqual([]);
  });
});
