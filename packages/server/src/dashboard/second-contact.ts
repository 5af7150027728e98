// FCR's one rule for a second contact, read by the dashboard (SQL over the stored conversations) and
// the team view (over the handoffs, each with the stored conversation its ticket names), so that
// both give the same figure for the same conversations. The second contact is the contact's next
// conversation on the same topic, whatever its end (self-service, abandoned or handed off): the
// `next_*_at` columns of `conversations_derived` (NEXT_CONTACT_COLUMNS in summary-queries.ts). It
// counts when it started within FCR_WINDOW_MS of the close and before the period's end: a period
// keeps its figure whatever comes after it, as `firstContactResolution` of `@lotse/sdk/metrics`
// over the period's conversations.
import { FCR_WINDOW_MS } from '@lotse/sdk/metrics';

/**
 * Whether a closed conversation has no second contact that counts against its FCR: none started
 * (`nextAt` null), or it started more than 7 days after the close, or at or after `periodEnd`.
 */
export function withoutSecondContact(
  nextAt: number | null,
  closedAt: number,
  periodEnd: number,
): boolean {
  return nextAt === null || nextAt > closedAt + FCR_WINDOW_MS || nextAt >= periodEnd;
}

/** {@link withoutSecondContact} as an SQL condition over three SQL expressions (both dialects). */
export function withoutSecondContactSql(
  nextAt: string,
  closedAt: string,
  periodEnd: string,
): string {
  return `(${nextAt} is null or ${nextAt} > ${closedAt} + ${FCR_WINDOW_MS} or ${nextAt} >= ${periodEnd})`;
}
