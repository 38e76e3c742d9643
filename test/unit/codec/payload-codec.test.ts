import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  PayloadDecryptionError,
} from '../../../codec/payload-codec';
import { parsePayloadKeys, resolvePayloadKeys } from '../../../config/payload-keys';
import { loadConfig } from '../../../config/config';

const key = (id: string) => ({ id, key: randomBytes(32) });
const customer = { phone: '+15005550006', email: 'ada@example.com', name: 'Ada Lovelace' };
const utf8 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('the payload codec', () => {
  it('encrypts a payload so neither its data nor its metadata shows, and decrypts it back', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const plain = defaultPayloadConverter.toPayload(customer);
    const [encrypted] = await codec.encode([plain]);
    expect(utf8(encrypted?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(utf8(encrypted?.metadata?.[KEY_ID_METADATA])).toBe('k1');
    const raw = JSON.stringify(encrypted) + utf8(encrypted?.data);
    for (const value of [...Object.values(customer), 'json/plain']) expect(raw).not.toContain(value);
    const [decrypted] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decrypted!)).toEqual(customer);
    expect(utf8(decrypted?.metadata?.encoding)).toBe('json/plain');
  });

  it('encrypts with the first key and still decrypts what an older key encrypted', async () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const before = new AesGcmPayloadCodec([k1]);
    const [old] = await before.encode([defaultPayloadConverter.toPayload(customer)]);
    const rotated = new AesGcmPayloadCodec([k2, k1]);
    expect(rotated.currentKeyId).toBe('k2');
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload(customer)]);
    expect(utf8(fresh?.metadata?.[KEY_ID_METADATA])).toBe('k2');
    const decoded = await rotated.decode([old!, fresh!]);
    expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([
      customer,
      customer,
    ]);
    // The old deployment cannot read the new key's payloads: roll the new key out to every reader first.
    await expect(before.decode([fresh!])).rejects.toThrow(/key id "k2".*known: k1.*PAYLOAD_KEYS/);
  });

  it('refuses a payload of an unknown key id with an error naming the id and the setting', async () => {
    const [encrypted] = await new AesGcmPayloadCodec([key('gone')]).encode([
      defaultPayloadConverter.toPayload(1),
    ]);
    const decode = new AesGcmPayloadCodec([key('k1')]).decode([encrypted!]);
    await expect(decode).rejects.toBeInstanceOf(PayloadDecryptionError);
    await expect(decode).rejects.toThrow(
      'payload encrypted with key id "gone", which is not among the configured payload keys (known: k1)',
    );
  });

  it('refuses a payload whose key id was relabelled or whose bytes were changed', async () => {
    const k1 = key('k1');
    const other = { id: 'k2', key: k1.key };
    const codec = new AesGcmPayloadCodec([k1, other]);
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload('x')]);
    const relabelled = {
      ...encrypted!,
      metadata: { ...encrypted!.metadata, [KEY_ID_METADATA]: Buffer.from('k2') },
    };
    await expect(codec.decode([relabelled])).rejects.toThrow(/does not decrypt/);
    const data = Buffer.from(encrypted!.data!);
    data[20] = (data[20] ?? 0) ^ 1;
    await expect(codec.decode([{ ...encrypted!, data }])).rejects.toThrow(/does not decrypt/);
  });

  it('passes payloads written before the codec through unchanged, in both directions of a history', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const plain = defaultPayloadConverter.toPayload(customer);
    expect(await codec.decode([plain])).toEqual([plain]);
    const [encrypted] = await codec.encode([plain]);
    // Encoding an already encrypted payload (a UI signal re-sent) does not wrap it twice.
    expect(await codec.encode([encrypted!])).toEqual([encrypted]);
  });
});

describe('payload keys from the configuration', () => {
  const entry = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

  it('reads id:base64key entries, the first encrypting, comments and blank lines ignored', () => {
    const keys = parsePayloadKeys(`# rotated 2026-11\n${entry('k2')}\n\n${entry('k1')}  # old`);
    expect(keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keys.every((k) => k.key.length === 32)).toBe(true);
  });

  it('names the entry and the rule of a bad key', () => {
    expect(() => parsePayloadKeys('k1:short')).toThrow(
      'PAYLOAD_KEYS entry 1 (k1): the key must be 32 random bytes',
    );
    expect(() => parsePayloadKeys(`${entry('k1')},nocolon`)).toThrow(
      'PAYLOAD_KEYS entry 2: expected id:base64key',
    );
    expect(() => parsePayloadKeys(`${entry('k1')},${entry('k1')}`)).toThrow('key id k1 appears twice');
    expect(() => loadConfig({ PAYLOAD_KEYS: 'k1:short' })).toThrow(/PAYLOAD_KEYS entry 1/);
  });

  it('refuses production mode without keys, naming the settings', () => {
    expect(() => loadConfig({ RECONTACT_MODE: 'production' })).toThrow(
      'PAYLOAD_KEYS or PAYLOAD_KEYS_FILE: required when RECONTACT_MODE=production',
    );
    expect(() => loadConfig({ RECONTACT_MODE: 'production', PAYLOAD_KEYS: entry('k1') })).not.toThrow();
  });

  it('creates one key in DATA_DIR in local mode, says so once, and reuses it', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'recontact-keys-'));
    const config = loadConfig({ DATA_DIR: dataDir });
    const lines: string[] = [];
    const first = resolvePayloadKeys(config, (line) => lines.push(line));
    const second = resolvePayloadKeys(config, (line) => lines.push(line));
    expect(second).toEqual(first);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path.join(dataDir, 'payload-keys'));
    expect(readFileSync(path.join(dataDir, 'payload-keys'), 'utf8')).toContain(`${first[0]!.id}:`);
  });

  it('reads PAYLOAD_KEYS_FILE', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'recontact-keys-')), 'keys');
    writeFileSync(file, `${entry('a')}\n${entry('b')}\n`);
    const keys = resolvePayloadKeys(loadConfig({ PAYLOAD_KEYS_FILE: file }));
    expect(keys.map((k) => k.id)).toEqual(['a', 'b']);
  });
});
