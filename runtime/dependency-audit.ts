import { z } from 'zod';

/**
 * The CI's dependency audit (`.ci/dependency-audit.ts`): reads `npm audit --json` and the reviewed
 * allow-list, and decides. High and critical advisories with a fix fail unless allow-listed; those
 * without a fix are reported (nothing to upgrade to yet). Pure: no npm, no clock of its own.
 */

/** One reviewed exception in `.ci/audit-allow-list.json`. */
export const allowListEntrySchema = z.object({
  /** The advisory, as npm audit names it: its GHSA id (https://github.com/advisories/GHSA-…). */
  advisory: z
    .string()
    .regex(/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/, 'expected a GHSA id, e.g. GHSA-abcd-efgh-jkmp'),
  /** The vulnerable package, e.g. "ip". */
  package: z.string().min(1),
  /** Why Recontact is not exposed, or why the fix cannot be taken yet: the review, in a sentence or two. */
  reason: z.string().min(20, 'say why, in a sentence'),
  /** Who reviewed it and when (YYYY-MM-DD). */
  reviewedBy: z.string().min(1),
  reviewedOn: z.iso.date(),
  /** After this day (YYYY-MM-DD) the entry no longer counts: look again. */
  recheckBy: z.iso.date(),
});

export const allowListSchema = z.object({ entries: z.array(allowListEntrySchema) });

export type AllowList = z.infer<typeof allowListSchema>;

const advisorySchema = z.object({
  title: z.string(),
  url: z.string(),
  severity: z.string(),
  range: z.string().optional(),
});

/** The part of npm's audit report (auditReportVersion 2) the decision reads. */
const auditReportSchema = z.object({
  auditReportVersion: z.literal(2),
  vulnerabilities: z.record(
    z.string(),
    z.object({
      name: z.string(),
      severity: z.string(),
      // A string names another vulnerable package it depends on; an object is an advisory.
      via: z.array(z.union([z.string(), advisorySchema])),
      fixAvailable: z.union([z.boolean(), z.object({}).loose()]),
    }),
  ),
});

export interface AuditVerdict {
  /** `unavailable`: npm could not reach an advisory database (no network, a mirror without it). */
  status: 'pass' | 'fail' | 'unavailable';
  lines: string[];
}

const serious = new Set(['high', 'critical']);

/** The verdict on `npm audit --json`'s output, with the allow-list, on `today` (YYYY-MM-DD). */
export function auditVerdict(npmOutput: string, allowList: AllowList, today: string): AuditVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(npmOutput);
  } catch {
    return { status: 'unavailable', lines: ['npm audit printed no JSON report'] };
  }
  const report = auditReportSchema.safeParse(parsed);
  if (!report.success) {
    const message = z.object({ message: z.string() }).safeParse(parsed);
    return {
      status: 'unavailable',
      lines: [`npm audit could not get advisories: ${message.success ? message.data.message : 'no report'}`],
    };
  }

  const lines: string[] = [];
  let failed = false;
  const used = new Set<string>();
  for (const vulnerability of Object.values(report.data.vulnerabilities)) {
    for (const via of vulnerability.via) {
      if (typeof via === 'string' || !serious.has(via.severity)) continue;
      const advisory = /GHSA(-[a-z0-9]{4}){3}/.exec(via.url)?.[0] ?? via.url;
      const what = `${via.severity} ${advisory} in ${vulnerability.name} (${via.title})`;
      const entry = allowList.entries.find(
        (candidate) => candidate.advisory === advisory && candidate.package === vulnerability.name,
      );
      if (entry !== undefined && entry.recheckBy >= today) {
        used.add(`${entry.advisory} ${entry.package}`);
        lines.push(`allowed: ${what}: ${entry.reason}`);
      } else if (vulnerability.fixAvailable === false) {
        lines.push(`no fix yet (reported, not failing): ${what}`);
      } else {
        failed = true;
        lines.push(
          entry !== undefined
            ? `FAIL: ${what}: its allow-list entry expired on ${entry.recheckBy}; review it again`
            : `FAIL: ${what}: a fix exists (npm audit fix), or allow-list it with a reason`,
        );
      }
    }
  }
  for (const entry of allowList.entries) {
    if (!used.has(`${entry.advisory} ${entry.package}`)) {
      lines.push(
        `note: allow-list entry ${entry.advisory} (${entry.package}) matches nothing now; remove it`,
      );
    }
  }
  if (lines.length === 0) lines.push('no high or critical advisories');
  return { status: failed ? 'fail' : 'pass', lines };
}
