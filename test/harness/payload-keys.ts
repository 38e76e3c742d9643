import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../codec/payload-codec';
import { dataConverterFromKeys } from '../../codec/data-converter';
import { parsePayloadKeys } from '../../config/payload-keys';

/**
 * The payload keys every test client and worker shares (PAYLOAD_KEYS in testConfig): a fixed,
 * public test key — what it proves is that payloads are encrypted, not that this key is secret.
 */
export const TEST_PAYLOAD_KEYS = 'test-1:dGVzdC1vbmx5LXBheWxvYWQta2V5LTMyLWJ5dGVzISE=';

/** The codec alone, for tests that read payloads out of a raw history. */
export function testPayloadCodec(): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(parsePayloadKeys(TEST_PAYLOAD_KEYS));
}

/** The data converter of test clients built outside testConfig (time-skipping envs, connectTestClient). */
export function testDataConverter(): DataConverter {
  return dataConverterFromKeys(parsePayloadKeys(TEST_PAYLOAD_KEYS));
}
