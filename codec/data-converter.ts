import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config/config';
import { resolvePayloadKeys } from '../config/payload-keys';
import { AesGcmPayloadCodec, type PayloadKey } from './payload-codec';

/** Path of the failure converter module, for `bundleWorkflowCode({ failureConverterPath })`. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter every Recontact client and worker uses: payloads encrypted with the
 * deployment's payload keys, failure messages and stack traces encoded (and so encrypted) too.
 */
export function dataConverterFromKeys(keys: readonly PayloadKey[]): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

const codecs = new WeakMap<Config, AesGcmPayloadCodec>();

/** This configuration's payload codec (keys resolved once per configuration object). */
export function payloadCodecFor(config: Config): AesGcmPayloadCodec {
  let codec = codecs.get(config);
  if (codec === undefined) {
    codec = new AesGcmPayloadCodec(resolvePayloadKeys(config));
    codecs.set(config, codec);
  }
  return codec;
}

/** {@link dataConverterFromKeys} for this configuration's keys (PAYLOAD_KEYS, its file, or DATA_DIR's). */
export function dataConverterFor(config: Config): DataConverter {
  return { payloadCodecs: [payloadCodecFor(config)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
