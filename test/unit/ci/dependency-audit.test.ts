import { readFileSync } from 'node:fs';
import path from 'node:path';
import { allowListSchema, auditVerdict, type AllowList } from '../../../runtime/dependency-audit';

/** An `npm audit --json` report (auditReportVersion 2) with one vulnerable package. */
function report(severity: string, fixAvailable: boolean | object, name = 'ip'): string {
  return JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: {
      [name]: {
        name,
        severity,
        via: [
          {
            title: 'SSRF improper categorization in isPublic',
            url: 'https://github.com/advisories/GHSA-2p57-rm9w-gvfp',
            severity,
            range: '<=2.0.1',
          },
        ],
        fixAvailable,
      },
      // A package vulnerable only through `name`: named by string, never counted twice.
      socks: { name: 'socks', severity, via: [name], fixAvailable },
    },
    metadata: {},
  });
}

const entry = {
  advisory: 'GHSA-2p57-rm9w-gvfp',
  package: 'ip',
  reason: 'Only the test harness reaches it, with loopback addresses it does not classify.',
  reviewedBy: 'privacy review',
  reviewedOn: '2026-11-29',
  recheckBy: '2027-02-28',
};
const none: AllowList = { entries: [] };

describe('the CI dependency audit', () => {
  it('fails on a high or critical advisory that has a fix and no allow-list entry', () => {
    for (const severity of ['high', 'critical']) {
      const verdict = auditVerdict(report(severity, true), none, '2026-11-29');
      expect(verdict.status).toBe('fail');
      expect(verdict.lines).toEqual([expect.stringMatching(/^FAIL: .*GHSA-2p57-rm9w-gvfp in ip/)]);
    }
  });

  it('passes a reviewed entry until its recheck date, then fails again', () => {
    const allowed = auditVerdict(
      report('high', { name: 'ip', version: '2.0.2' }),
      { entries: [entry] },
      '2027-02-28',
    );
    expect(allowed.status).toBe('pass');
    expect(allowed.lines[0]).toMatch(/^allowed: .*Only the test harness/);
    const expired = auditVerdict(report('high', true), { entries: [entry] }, '2027-03-01');
    expect(expired.status).toBe('fail');
    expect(expired.lines[0]).toMatch(/expired on 2027-02-28/);
  });

  it('reports without failing what has no fix, and ignores moderate and low', () => {
    const noFix = auditVerdict(report('critical', false), none, '2026-11-29');
    expect(noFix.status).toBe('pass');
    expect(noFix.lines[0]).toMatch(/^no fix yet/);
    expect(auditVerdict(report('moderate', true), none, '2026-11-29')).toEqual({
      status: 'pass',
      lines: ['no high or critical advisories'],
    });
  });

  it('names an allow-list entry that matches nothing any more', () => {
    const verdict = auditVerdict(report('low', true), { entries: [entry] }, '2026-11-29');
    expect(verdict.lines).toEqual([expect.stringMatching(/GHSA-2p57-rm9w-gvfp \(ip\) matches nothing now/)]);
  });

  it('says "unavailable" when npm reaches no advisory database, as on a registry mirror without one', () => {
    const mirror = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
    });
    expect(auditVerdict(mirror, none, '2026-11-29')).toEqual({
      status: 'unavailable',
      lines: [expect.stringContaining('405 Method Not Allowed')],
    });
    expect(auditVerdict('', none, '2026-11-29').status).toBe('unavailable');
  });

  it('reads the committed allow-list, and refuses an entry without a reason or a GHSA id', () => {
    const file = path.join(__dirname, '..', '..', '..', '.ci', 'audit-allow-list.json');
    expect(allowListSchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))).success).toBe(true);
    const bad = allowListSchema.safeParse({
      entries: [{ ...entry, advisory: 'CVE-2023-42282', reason: 'ok' }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'entries.0.advisory',
      'entries.0.reason',
    ]);
  });
});
