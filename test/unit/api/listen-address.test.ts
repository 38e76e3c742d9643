import { loadConfig } from '../../../config/config';
import { assertApiHostFitsCredentials, isLoopbackHost } from '../../../api/listen-address';
import { sandboxOptionsSchema } from '../../../sandbox/start-sandbox';

describe('where the API may listen with the Twilio sandbox', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])(
    'counts %s as loopback',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );

  it.each(['0.0.0.0', '::', '10.0.0.5', '192.168.1.20', 'recontact.example.com', '127.0.0.256', '128.0.0.1'])(
    'does not count %s as loopback',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );

  it('refuses 0.0.0.0 with the sandbox, naming API_HOST and the way out', () => {
    expect(() => assertApiHostFitsCredentials(loadConfig({ API_HOST: '0.0.0.0' }))).toThrow(
      /API_HOST="0\.0\.0\.0".*TWILIO_ACCOUNT_SID/s,
    );
  });

  it('lets real Twilio credentials listen anywhere, and the sandbox on loopback', () => {
    const twilio = { TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'real-token' };
    expect(() => assertApiHostFitsCredentials(loadConfig({ API_HOST: '0.0.0.0', ...twilio }))).not.toThrow();
    expect(() => assertApiHostFitsCredentials(loadConfig({}))).not.toThrow();
  });

  it('lets the compose demo container (SANDBOX_IN_CONTAINER) listen everywhere, and nothing else', () => {
    expect(() =>
      assertApiHostFitsCredentials(loadConfig({ API_HOST: '0.0.0.0', SANDBOX_IN_CONTAINER: 'true' })),
    ).not.toThrow();
    expect(() =>
      assertApiHostFitsCredentials(loadConfig({ API_HOST: '0.0.0.0', SANDBOX_IN_CONTAINER: 'false' })),
    ).toThrow(/SANDBOX_IN_CONTAINER=true is for the compose demo only/);
  });

  it('keeps the sandbox itself on loopback unless told it runs in a container', () => {
    expect(() => sandboxOptionsSchema.parse({ host: '0.0.0.0' })).toThrow(/allInterfaces/);
    expect(sandboxOptionsSchema.parse({ host: '0.0.0.0', allInterfaces: true }).host).toBe('0.0.0.0');
    expect(() => sandboxOptionsSchema.parse({ host: '10.0.0.5', allInterfaces: true })).toThrow();
  });
});
