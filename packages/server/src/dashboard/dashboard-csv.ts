import type { CoreMetrics, DashboardMetrics } from './compute-dashboard.js';

/**
 * One CSV field: numbers bare, every text quoted (RFC 4180) so that no separator inside it — `,` or
 * the `;` German spreadsheets split on — can start a new cell, line breaks as spaces (a line-based
 * importer would start a row inside the quotes), and a text starting with `= + - @`, tab or CR
 * prefixed with `'` so that it is never read as a formula (OWASP "CSV Injection").
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const line = value.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
  const text = /^[=+\-@\t\r]/.test(line) ? `'${line}` : line;
  return `"${text.replaceAll('"', '""')}"`;
}

function coreLines(section: string, key: string, m: CoreMetrics): (string | number | null)[][] {
  return [
    [section, key, 'conversations', m.conversations],
    [section, key, 'self_service', m.selfService],
    [section, key, 'handoffs', m.handoffs],
    [section, key, 'abandoned', m.abandoned],
    [section, key, 'closed', m.closed],
    [section, key, 'self_service_rate', m.selfServiceRate],
    [section, key, 'escalation_rate', m.escalationRate],
    [section, key, 'abandonment_rate', m.abandonmentRate],
    [section, key, 'resolved_within_24h', m.resolvedWithin24h],
    [section, key, 'first_contact_resolution', m.firstContactResolution],
    [section, key, 'frt_median_ms', m.firstResponseTime.calendar.median],
    [section, key, 'frt_p90_ms', m.firstResponseTime.calendar.p90],
    [section, key, 'frt_business_median_ms', m.firstResponseTime.business?.median ?? null],
    [section, key, 'frt_business_p90_ms', m.firstResponseTime.business?.p90 ?? null],
  ];
}

/**
 * The dashboard as CSV: `section,key,metric,value` lines (rates as fractions, durations in ms,
 * moments as ISO 8601 in UTC).
 */
export function dashboardCsv(m: DashboardMetrics): string {
  const lines: (string | number | null)[][] = [['section', 'key', 'metric', 'value']];
  lines.push(...coreLines('total', '', m));
  lines.push(
    ['total', '', 'csat', m.csat.value],
    ['total', '', 'csat_responses', m.csat.responses],
  );
  lines.push(['total', '', 'ces', m.ces.value], ['total', '', 'ces_responses', m.ces.responses]);
  lines.push(['total', '', 'nps', m.nps.value], ['total', '', 'nps_responses', m.nps.responses]);
  for (const l of [1, 2, 3] as const) {
    lines.push(['level', String(l), 'escalation_rate', m.escalationRateByLevel[l]]);
  }
  for (const r of m.byTopic) lines.push(...coreLines('topic', r.key, r));
  for (const r of m.byLevel) lines.push(...coreLines('level', r.key, r));
  for (const r of m.byChannel) lines.push(...coreLines('channel', r.key, r));
  for (const d of m.trend) {
    lines.push(['day', d.day, 'conversations', d.conversations]);
    lines.push(['day', d.day, 'self_service_rate', d.selfServiceRate]);
    lines.push(['day', d.day, 'escalation_rate', d.escalationRate]);
    lines.push(['day', d.day, 'csat', d.csat]);
  }
  for (const g of m.contentGaps) {
    lines.push(['content_gap', g.text, 'count', g.count]);
    const c = g.closed;
    if (c === null) continue;
    lines.push(
      ['content_gap', g.text, 'closed_by_entry', c.entryId],
      ['content_gap', g.text, 'closed_at', c.at === null ? null : new Date(c.at).toISOString()],
      ['content_gap', g.text, 'closed_by_version', c.version],
      ['content_gap', g.text, 'per_day_before', c.perDayBefore],
      ['content_gap', g.text, 'per_day_after', c.perDayAfter],
    );
  }
  for (const u of m.unhelpful) lines.push(['unhelpful', u.entryId, 'count', u.unhelpful]);
  for (const v of m.answersByKbVersion) {
    const key = String(v.version);
    lines.push(
      ['kb_version', key, 'answers_shown', v.shown],
      ['kb_version', key, 'answers_rated', v.rated],
      ['kb_version', key, 'helpful_rate', v.helpfulRate],
    );
  }
  for (const v of m.mysteryChecks) {
    const key = String(v.version);
    lines.push(
      ['mystery_checks', key, 'published_at', new Date(v.publishedAt).toISOString()],
      ['mystery_checks', key, 'author', v.author ?? 'import'],
      ['mystery_checks', key, 'checks_passed', v.passed],
      ['mystery_checks', key, 'checks_total', v.total],
      ['mystery_checks', key, 'pass_rate', v.passRate],
      ['mystery_checks', key, 'override_reason', v.overrideReason],
    );
  }
  return `${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}
