/**
 * The request parameters the sandbox reads, per operation of Twilio's API (operation ids as in
 * Twilio's OpenAPI description). Handlers can read only these names (see `FormFields`), and the
 * contract test checks each one is declared by the official description of that operation.
 */
export const acceptedParams = {
  CreateMessage: ['To', 'From', 'MessagingServiceSid', 'Body', 'MediaUrl', 'StatusCallback'],
  ListMessage: ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>', 'PageSize', 'Page', 'PageToken'],
  CreateCall: [
    'To',
    'From',
    'Url',
    'Method',
    'Twiml',
    'FallbackUrl',
    'FallbackMethod',
    'StatusCallback',
    'StatusCallbackEvent',
    'StatusCallbackMethod',
    'Timeout',
    'MachineDetection',
    'AsyncAmd',
    'AsyncAmdStatusCallback',
    'AsyncAmdStatusCallbackMethod',
  ],
  ListCall: [
    'To',
    'From',
    'ParentCallSid',
    'Status',
    'StartTime',
    'StartTime<',
    'StartTime>',
    'PageSize',
    'Page',
    'PageToken',
  ],
  UpdateCall: ['Url', 'Method', 'Twiml', 'Status'],
} as const;

export type OperationId = keyof typeof acceptedParams;
export type ParamOf<Op extends OperationId> = (typeof acceptedParams)[Op][number];
