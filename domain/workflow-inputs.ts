import type { z } from 'zod';
import { callbackRequestSchema } from './callbacks/callback-request';
import { courtesyMessageInputSchema } from './courtesy/courtesy-request';
import { deliverMessageInputSchema } from './deliver-message-input';
import { appointmentReminderInputSchema } from './reminders/appointment-reminder-input';
import { surveyRescueInputSchema } from './rescue/survey-rescue-input';

/**
 * The input schema of every workflow that parses its input, by workflow type. Workflow code never
 * imports this module at its top: a new run's input is parsed by the `parseWorkflowInput`
 * activity (zod stays out of each cached run), and only replays of histories recorded before that
 * load it, lazily (workflows/workflow-input.ts).
 */
export const workflowInputSchemas = {
  abandonedCallCallback: callbackRequestSchema,
  appointmentReminder: appointmentReminderInputSchema,
  courtesyMessage: courtesyMessageInputSchema,
  deliverMessage: deliverMessageInputSchema,
  surveyRescue: surveyRescueInputSchema,
};

export type WorkflowWithInput = keyof typeof workflowInputSchemas;
/** A workflow's input after parsing: defaults filled in, values normalised. */
export type ParsedWorkflowInput<W extends WorkflowWithInput> = z.output<(typeof workflowInputSchemas)[W]>;

export type WorkflowInputCheck<W extends WorkflowWithInput> =
  { ok: true; input: ParsedWorkflowInput<W> } | { ok: false; message: string };

/** Parses a workflow's input; a bad one gets a message naming every field and its rule. */
export function checkWorkflowInput<W extends WorkflowWithInput>(
  workflow: W,
  raw: unknown,
): WorkflowInputCheck<W> {
  const parsed = workflowInputSchemas[workflow].safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data as ParsedWorkflowInput<W> };
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  return { ok: false, message: `invalid ${workflow} input: ${problems.join('; ')}` };
}
