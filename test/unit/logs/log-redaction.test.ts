import { runInNewContext } from 'node:vm';
import { redactLogValue, redactText } from '../../../runtime/log-redaction';

describe('what a log line may say', () => {
  it('replaces numbers, addresses, signatures and credentials, also URL-encoded', () => {
    expect(redactText('sms: +14155550147 may not be contacted (opted-out)')).toBe(
      'sms: [phone] may not be contacted (opted-out)',
    );
    expect(redactText('/v1/x?phone=%2B14155550147&email=ana.customer%40example.com')).toBe(
      '/v1/x?phone=[phone]&email=[email]',
    );
    expect(redactText('/links/reminders/a/confirm?at=1796063380212&sig=qnw_Q3R7Jw')).toBe(
      '/links/reminders/a/confirm?at=1796063380212&sig=[redacted]',
    );
    expect(redactText('authorization: Bearer abc.def-123')).toBe('authorization: Bearer [redacted]');
    // The API token in a codec endpoint URL (the form the Temporal Web UI can send).
    expect(redactText('POST /codec/Zm9v_bar-1/decode')).toBe('POST /codec/[redacted]/decode');
    expect(redactText('POST /codec/decode')).toBe('POST /codec/decode');
    expect(redactText('to Ana <ana@example.co.uk>')).toBe('to Ana <[email]>');
  });

  it('keeps what debugging needs: ids, times, durations, run ids', () => {
    const line =
      'notice-6f1c2d3e workflow 01a2287c-aee2-7307-ae58-f76062fd678a took 1796063380212 ms, attempt 2';
    expect(redactText(line)).toBe(line);
  });

  it('walks plain objects, arrays and errors from any realm without changing the original', () => {
    const error = new Error('sms: +14155550147 refused', { cause: new Error('to ana@example.com') });
    const meta = { to: ['+14155550147'], error, authorization: 'Bearer x', nested: { email: 'a@b.io' } };
    const redacted = redactLogValue(meta) as Record<string, unknown>;
    expect(JSON.stringify(redacted)).not.toMatch(/4155550147|ana@example|a@b\.io|Bearer x/);
    expect(redacted).toMatchObject({
      authorization: '[redacted]',
      error: { message: 'sms: [phone] refused' },
    });
    expect(meta.to[0]).toBe('+14155550147');
    // A workflow's failure is built in the workflow's own context.
    const foreign = runInNewContext('({ error: new Error("sms: +14155550147 refused") })') as object;
    expect(JSON.stringify(redactLogValue(foreign))).not.toContain('4155550147');
    class Request {
      url = '/x?sig=abc';
    }
    const request = new Request();
    expect(redactLogValue({ req: request })).toEqual({ req: request });
  });
});
