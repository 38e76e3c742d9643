import { createHmac } from 'node:crypto';
import { customerKeyFor } from '../../../domain/customer-key';

describe('customerKeyFor', () => {
  it('is c_ and 24 characters of the HMAC-SHA256 of the address under the secret, never the address', () => {
    const expected = createHmac('sha256', 'secret-1').update('+12125550100').digest('base64url').slice(0, 24);
    expect(customerKeyFor('+12125550100', 'secret-1')).toBe(`c_${expected}`);
    expect(customerKeyFor('+12125550100', 'secret-1')).not.toContain('2125550100');
  });

  it('gives an e-mail address the same key whatever its case and surrounding spaces', () => {
    expect(customerKeyFor('  Ana.Perez@Example.COM ', 's')).toBe(
      customerKeyFor('ana.perez@example.com', 's'),
    );
  });

  it('gives the same number different keys under different secrets', () => {
    expect(customerKeyFor('+12125550100', 'a')).not.toBe(customerKeyFor('+12125550100', 'b'));
  });
});
