import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { type JsonPayload, payloadFromJson, payloadToJson } from './payload-json';

/** The `encoding` metadata of a payload this codec wrote (the name Temporal's samples use). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata naming the key a payload was encrypted with, so keys can rotate. */
export const KEY_ID_METADATA = 'encryption-key-id';

/** One AES-256 key and the id stored beside every payload it encrypts. */
export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const text = new TextEncoder();
const fromText = new TextDecoder();

/** A payload this codec could not decrypt: an unknown key id, a wrong key or a damaged payload. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

/**
 * AES-256-GCM over the whole payload (its metadata too, so not even the encoding shows). The first
 * key encrypts; every key decrypts, so a rotated-out key keeps old runs readable. A payload
 * without this codec's encoding passes through unchanged: runs written before the codec still
 * replay and read.
 *
 * @example
 * const codec = new AesGcmPayloadCodec([{ id: 'k2', key: newKey }, { id: 'k1', key: oldKey }]);
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly current: PayloadKey;
  private readonly byId: Map<string, Buffer>;

  constructor(keys: readonly PayloadKey[]) {
    const [current] = keys;
    if (current === undefined) throw new Error('a payload codec needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`payload key ${id}: expected 32 bytes, got ${key.length}`);
    }
    this.current = current;
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  /** The id new payloads are encrypted with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? payload : this.encrypt(payload)));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(additionalData(id));
    const sealed = Buffer.concat([cipher.update(serialize(payload)), cipher.final()]);
    return {
      metadata: { encoding: text.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: text.encode(id) },
      data: Buffer.concat([iv, sealed, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    if (idBytes === undefined || idBytes === null) {
      throw new PayloadDecryptionError(`an encrypted payload has no ${KEY_ID_METADATA} metadata`);
    }
    const id = fromText.decode(idBytes);
    const key = this.byId.get(id);
    if (key === undefined) {
      throw new PayloadDecryptionError(
        `payload encrypted with key id "${id}", which is not among the configured payload keys ` +
          `(known: ${[...this.byId.keys()].join(', ')}); add it to PAYLOAD_KEYS or PAYLOAD_KEYS_FILE`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new PayloadDecryptionError(`payload (key ${id}) is truncated`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(additionalData(id));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return deserialize(plain);
    } catch (error) {
      if (error instanceof PayloadDecryptionError) throw error;
      throw new PayloadDecryptionError(
        `payload (key ${id}) does not decrypt: the key under that id differs or the payload is damaged`,
      );
    }
  }
}

function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && fromText.decode(encoding) === ENCRYPTED_ENCODING;
}

// The key id is bound to the ciphertext: relabelling a payload with another id fails to decrypt.
function additionalData(keyId: string): Buffer {
  return Buffer.from(`recontact-payload-v1:${keyId}`);
}

/** The inner payload as protobuf JSON (base64 bytes): small enough, and needs no protobuf dependency. */
function serialize(payload: Payload): Buffer {
  return Buffer.from(JSON.stringify(payloadToJson(payload)));
}

function deserialize(bytes: Buffer): Payload {
  return payloadFromJson(JSON.parse(bytes.toString('utf8')) as JsonPayload);
}
