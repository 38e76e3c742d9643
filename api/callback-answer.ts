import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyReply } from 'fastify';
import { CallbackRejectedError } from '../client/callbacks';
import { InvalidRequestError } from '../client/invalid-request';
import { apiError } from './errors';

/**
 * Runs a callback operation, answering the client's typed failures in the API's one error format:
 * bad input 400, a refusal by the callback (a second claim) 409, an unknown or ended callback 404.
 */
export async function answerCallbackCall<T>(
  reply: FastifyReply,
  work: () => Promise<T>,
): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidRequestError) {
      return reply.code(400).send(apiError(400, 'invalid_request', error.message, [...error.problems]));
    }
    if (error instanceof CallbackRejectedError) {
      return reply.code(409).send(apiError(409, 'callback_rejected', error.message));
    }
    if (error instanceof WorkflowNotFoundError) {
      return reply.code(404).send(apiError(404, 'callback_not_found', 'no such callback (or it has ended)'));
    }
    throw error;
  }
}
