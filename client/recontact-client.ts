import type { Client } from '@temporalio/client';
import type { Config } from '../config/config';
import { connectClient } from './connection';
import { type DoctorCheck, type DoctorOptions, runDoctor } from './doctor';
import { type RunFilter, runFilterQuery, runFilterSchema, type RunSummary } from './runs';
import { searchAttributes } from '../workflows/search-attributes';
import { loadCallbackRules } from '../config/callback-rules';
import { persistedSecret } from '../config/persisted-secret';
import type { AbandonRules } from '../domain/callbacks';
import { CallbackClient } from './callbacks';
import { CourtesyClient } from './courtesy';
import { ReminderClient } from './reminders';
import { RescueClient } from './rescues';

export interface RecontactClientOptions {
  /**
   * The key of customer hashes, the same as the workers' (CUSTOMER_KEY_SECRET); needed for
   * callbacks, rescues, reminders and courtesy outreach.
   */
  customerKeySecret?: string;
  /** The name customers see in reminders and courtesy messages (COMPANY_NAME). @default "Recontact" */
  company?: string;
  /** @default the shipped callback rules */
  callbackRules?: AbandonRules;
  /** @default false */
  callbacksPerQueue?: boolean;
  /** Who is alerted about a survey rescue (RESCUE_SUPERVISOR_EMAIL). */
  rescueSupervisorEmail?: string;
}

/**
 * The typed way for other systems to talk to Recontact: one client per outreach kind
 * (`callbacks`, `rescues`, `reminders`, `courtesy`), each a class with methods, plus runs and health.
 *
 * @example
 * const recontact = await RecontactClient.connect(loadConfig(process.env));
 * await recontact.reminders.start({ appointmentId: 'appt-42', at: '2027-03-15T14:00:00Z',
 *   contact: { phone: '+14155550100', timeZone: 'America/New_York', country: 'US' } });
 * const runs = await recontact.listRuns({ kind: 'callback', state: 'waiting-for-agent' });
 * await recontact.close();
 */
export class RecontactClient {
  readonly #callbacks: CallbackClient | undefined;
  readonly #rescues: RescueClient | undefined;
  readonly #reminders: ReminderClient | undefined;
  readonly #courtesy: CourtesyClient | undefined;

  constructor(
    /** The underlying Temporal client, for anything this class does not wrap yet. */
    readonly temporal: Client,
    readonly taskQueue: string,
    options: RecontactClientOptions = {},
  ) {
    if (options.customerKeySecret !== undefined) {
      this.#callbacks = new CallbackClient({
        temporal,
        taskQueue,
        customerKeySecret: options.customerKeySecret,
        ...(options.callbackRules !== undefined ? { rules: options.callbackRules } : {}),
        ...(options.callbacksPerQueue !== undefined ? { perQueue: options.callbacksPerQueue } : {}),
      });
      this.#rescues = new RescueClient({
        temporal,
        taskQueue,
        customerKeySecret: options.customerKeySecret,
        callbacks: this.#callbacks,
        ...(options.rescueSupervisorEmail !== undefined
          ? { supervisorEmail: options.rescueSupervisorEmail }
          : {}),
      });
      const outreach = {
        temporal,
        taskQueue,
        customerKeySecret: options.customerKeySecret,
        ...(options.company !== undefined ? { company: options.company } : {}),
      };
      this.#reminders = new ReminderClient(outreach);
      this.#courtesy = new CourtesyClient(outreach);
    }
  }

  /** Connects with the configuration's address, namespace, customer-key secret and callback rules. */
  static async connect(config: Config, address?: string): Promise<RecontactClient> {
    return new RecontactClient(await connectClient(config, address), config.TEMPORAL_TASK_QUEUE, {
      customerKeySecret:
        config.CUSTOMER_KEY_SECRET ?? persistedSecret(config.DATA_DIR, 'customer-key-secret').value,
      callbackRules: loadCallbackRules(config.CALLBACK_RULES_FILE),
      callbacksPerQueue: config.CALLBACK_PER_QUEUE,
      company: config.COMPANY_NAME,
      ...(config.RESCUE_SUPERVISOR_EMAIL !== undefined
        ? { rescueSupervisorEmail: config.RESCUE_SUPERVISOR_EMAIL }
        : {}),
    });
  }

  /** Survey answers and their rescue (client/rescues.ts). */
  get rescues(): RescueClient {
    return needsSecret(this.#rescues, 'rescues');
  }

  /** Abandoned-call and scheduled callbacks (client/callbacks.ts). */
  get callbacks(): CallbackClient {
    return needsSecret(this.#callbacks, 'callbacks');
  }

  /** Appointment reminder series (client/reminders.ts). */
  get reminders(): ReminderClient {
    return needsSecret(this.#reminders, 'reminders');
  }

  /** Thank-yous, yearly occasions and service notices (client/courtesy.ts). */
  get courtesy(): CourtesyClient {
    return needsSecret(this.#courtesy, 'courtesy outreach');
  }

  /** True when Temporal answers and the namespace exists. */
  async isHealthy(): Promise<boolean> {
    try {
      await this.temporal.connection.workflowService.describeNamespace({
        namespace: this.temporal.options.namespace,
      });
      return true;
    } catch {
      return false;
    }
  }

  /** Checks Temporal, namespace, search attributes and a polling worker; see `recontact doctor`. */
  doctor(options?: DoctorOptions): Promise<DoctorCheck[]> {
    return runDoctor(this.temporal, this.taskQueue, options);
  }

  /** Lists runs through a visibility query on the custom search attributes, newest first. */
  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    const parsed = runFilterSchema.parse(filter);
    const runs: RunSummary[] = [];
    for await (const execution of this.temporal.workflow.list({
      query: runFilterQuery(parsed) || undefined,
    })) {
      const attributes = execution.typedSearchAttributes;
      runs.push({
        workflowId: execution.workflowId,
        runId: execution.runId,
        type: execution.type,
        status: execution.status.name,
        startTime: execution.startTime.toISOString(),
        closeTime: execution.closeTime?.toISOString(),
        kind: attributes.get(searchAttributes.Kind),
        state: attributes.get(searchAttributes.State),
        outcome: attributes.get(searchAttributes.Outcome),
      });
      if (runs.length >= parsed.limit) break;
    }
    return runs;
  }

  async close(): Promise<void> {
    await this.temporal.connection.close();
  }
}

function needsSecret<T>(client: T | undefined, what: string): T {
  if (client === undefined) {
    throw new Error(`${what} need the customer-key secret: pass customerKeySecret (CUSTOMER_KEY_SECRET)`);
  }
  return client;
}
