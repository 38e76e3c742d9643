import nodemailer, { type Transporter } from 'nodemailer';
import { startSandbox, type TwilioSandbox } from '../../../sandbox';

describe('the sandbox SMTP sink (smtp-server on loopback, parsed with mailparser)', () => {
  let sandbox: TwilioSandbox;
  let transport: Transporter;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 5 });
    transport = nodemailer.createTransport({
      host: sandbox.smtp.host,
      port: sandbox.smtp.port,
      secure: false,
    });
  });
  afterAll(async () => {
    transport.close();
    await sandbox.stop();
  });

  it('keeps a mail sent with nodemailer in the outbox with its Message-ID, headers and parts', async () => {
    const messageId = '<attempt-42.callback-7@recontact.invalid>';
    const info = await transport.sendMail({
      messageId,
      from: 'Recontact <no-reply@recontact.invalid>',
      to: 'Ana García <ana@example.com>',
      cc: 'supervisor@example.com',
      subject: 'Te llamamos mañana a las 10:00',
      text: 'Hola Ana, te llamaremos mañana.',
      html: '<p>Hola Ana, te llamaremos <b>mañana</b>.</p>',
      headers: { 'Content-Language': 'es', 'X-Recontact-Attempt': 'attempt-42' },
    });
    expect(info.messageId).toBe(messageId);
    const mail = await sandbox.outbox.waitFor((outbox) =>
      outbox.emails.find((email) => email.messageId === messageId),
    );
    expect(mail).toMatchObject({
      from: 'Recontact <no-reply@recontact.invalid>',
      to: ['Ana García <ana@example.com>'],
      cc: ['supervisor@example.com'],
      subject: 'Te llamamos mañana a las 10:00',
      text: 'Hola Ana, te llamaremos mañana.',
      html: '<p>Hola Ana, te llamaremos <b>mañana</b>.</p>',
      envelope: { from: 'no-reply@recontact.invalid', to: ['ana@example.com', 'supervisor@example.com'] },
    });
    expect(mail.headers['message-id']).toBe(messageId);
    expect(mail.headers['content-language']).toBe('es');
    expect(mail.headers['x-recontact-attempt']).toBe('attempt-42');
    expect(mail.receivedAt).toBeGreaterThan(Date.now() - 10_000);
  });

  it('rejects a recipient at reject.test with 550 5.1.1 at RCPT TO (a permanent recipient error)', async () => {
    const error = await transport
      .sendMail({ from: 'no-reply@recontact.invalid', to: 'nobody@reject.test', subject: 'x', text: 'x' })
      .then(
        () => undefined,
        (caught: unknown) =>
          caught as { responseCode?: number; command?: string; code?: string; response?: string },
      );
    expect(error).toMatchObject({ responseCode: 550, code: 'EENVELOPE' });
    expect(error?.response).toMatch(/^550 5\.1\.1 /);
    expect(error?.command).toMatch(/RCPT TO/);
  });

  it('defers a recipient at defer.test with 451 (a temporary error)', async () => {
    const error = await transport
      .sendMail({ from: 'no-reply@recontact.invalid', to: 'later@defer.test', subject: 'x', text: 'x' })
      .then(
        () => undefined,
        (caught: unknown) => caught as { responseCode?: number },
      );
    expect(error?.responseCode).toBe(451);
  });

  it('delivers to the accepted recipients and reports the rejected one', async () => {
    const info = await transport.sendMail({
      from: 'no-reply@recontact.invalid',
      to: ['ok@example.com', 'gone@reject.test'],
      subject: 'mixed',
      text: 'x',
    });
    expect(info.accepted).toEqual(['ok@example.com']);
    expect(info.rejected).toEqual(['gone@reject.test']);
    const mail = await sandbox.outbox.waitFor((outbox) =>
      outbox.emails.find((email) => email.subject === 'mixed'),
    );
    expect(mail.envelope.to).toEqual(['ok@example.com']);
  });

  it('accepts any credentials and pooled connections', async () => {
    const pooled = nodemailer.createTransport({
      pool: true,
      maxConnections: 2,
      host: sandbox.smtp.host,
      port: sandbox.smtp.port,
      secure: false,
      auth: { user: 'someone', pass: 'anything' },
    });
    try {
      await Promise.all(
        [1, 2, 3, 4].map((index) =>
          pooled.sendMail({
            from: 'no-reply@recontact.invalid',
            to: 'a@example.com',
            subject: `pooled ${index}`,
            text: 'x',
          }),
        ),
      );
    } finally {
      pooled.close();
    }
    const subjects = sandbox.outbox.snapshot().emails.map((email) => email.subject);
    expect(subjects).toEqual(expect.arrayContaining(['pooled 1', 'pooled 2', 'pooled 3', 'pooled 4']));
  });
});
