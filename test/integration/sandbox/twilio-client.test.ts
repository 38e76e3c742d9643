import twilio from 'twilio';
import { createTwilioClient, SandboxRequestClient } from '../../../providers/twilio-client';
import { startSandbox } from '../../../sandbox';

const accountSid = `AC${'a'.repeat(32)}`;

describe('createTwilioClient: the official twilio library, real or sandboxed', () => {
  it('talks to the real Twilio through the library’s own RequestClient when no sandbox URL is set', () => {
    const client = createTwilioClient({ accountSid, authToken: 'token', autoRetry: true, maxRetries: 5 });
    expect(client).toBeInstanceOf(twilio.Twilio);
    expect(client.httpClient).toBeInstanceOf(twilio.RequestClient);
    expect(client.httpClient).not.toBeInstanceOf(SandboxRequestClient);
    expect(client.httpClient).toMatchObject({ autoRetry: true, maxRetries: 5 });
  });

  it('hands the retry options to the sandbox RequestClient’s constructor', () => {
    const client = createTwilioClient({
      accountSid,
      authToken: 'token',
      sandboxUrl: 'http://127.0.0.1:3010',
      autoRetry: true,
      maxRetries: 4,
      maxRetryDelayMs: 500,
    });
    expect(client.httpClient).toBeInstanceOf(SandboxRequestClient);
    expect(client.httpClient).toMatchObject({ autoRetry: true, maxRetries: 4, maxRetryDelay: 500 });
    const quiet = createTwilioClient({ accountSid, authToken: 'token', sandboxUrl: 'http://127.0.0.1:3010' });
    expect(quiet.httpClient).toMatchObject({ autoRetry: false });
  });

  it('rewrites https://<anything>.twilio.com to the sandbox, keeping path and query', () => {
    const http = new SandboxRequestClient('http://127.0.0.1:3010');
    expect(
      http.rewrite('https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&PageSize=2'),
    ).toBe('http://127.0.0.1:3010/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&PageSize=2');
    expect(http.rewrite('https://api.sydney.au1.twilio.com/2010-04-01/Accounts/AC1/Calls.json')).toBe(
      'http://127.0.0.1:3010/2010-04-01/Accounts/AC1/Calls.json',
    );
    expect(
      new SandboxRequestClient('http://127.0.0.1:3010/twilio/').rewrite('https://api.twilio.com/x.json'),
    ).toBe('http://127.0.0.1:3010/twilio/x.json');
    expect(http.rewrite('https://example.com/twilio.com/x')).toBe('https://example.com/twilio.com/x');
    expect(http.rewrite('https://nottwilio.com/x')).toBe('https://nottwilio.com/x');
  });

  it('refuses options that are not a Twilio account', () => {
    expect(() => createTwilioClient({ accountSid: 'SK123', authToken: 'token' })).toThrow(
      /AC followed by 32 hex/,
    );
    expect(() => createTwilioClient({ accountSid, authToken: '' })).toThrow();
    expect(() => createTwilioClient({ accountSid, authToken: 'x', sandboxUrl: 'ftp://host' })).toThrow();
  });

  it('reaches a running sandbox through a base URL with a trailing slash', async () => {
    const sandbox = await startSandbox({ stepDelayMs: 1 });
    try {
      const client = createTwilioClient({
        accountSid: sandbox.accountSid,
        authToken: sandbox.authToken,
        sandboxUrl: `${sandbox.url}/`,
      });
      const message = await client.messages.create({ to: '+15005550006', from: '+15005550006', body: 'hi' });
      expect(message.uri).toBe(`/2010-04-01/Accounts/${sandbox.accountSid}/Messages/${message.sid}.json`);
    } finally {
      await sandbox.stop();
    }
  });
});
