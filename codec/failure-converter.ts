import { DefaultFailureConverter } from '@temporalio/common';

/**
 * The failure converter of every client, worker and workflow bundle: a failure's message and stack
 * trace move into an encoded attribute, which the payload codec then encrypts. Loaded by path
 * (`failureConverterPath`) because workflow code converts its own errors inside the sandbox.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
