import { randomUUID } from 'node:crypto';
import type { SiteRegistry } from '../sites/site-registry.js';
import { mayRetry, resendChannelMail, type SendMailDeps } from './send-mail.js';

/**
 * Waits between the tries of an agent's reply that could not be sent: 1, 5 and 30 minutes, then
 * every 2 hours (the last delay repeats), as mail servers retry a temporary failure.
 */
export const REPLY_RETRY_DELAYS_MS: readonly number[] = [
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
];

/** How long after its first try a reply is tried again: a day, then it stays `failed`. */
export const REPLY_RETRY_FOR_MS = 24 * 3_600_000;

/**
 * How many retries of a reply are due `elapsed` ms after its first try (0: none yet); the latest
 * one is the one to send, so a server that was down for hours sends once, not every missed try.
 *
 * @example retriesDue(7 * 60_000) // 2 (due at 1 and at 6 minutes)
 */
export function retriesDue(elapsed: number): number {
  let at = 0;
  for (let n = 0; ; n++) {
    at += REPLY_RETRY_DELAYS_MS[Math.min(n, REPLY_RETRY_DELAYS_MS.length - 1)]!;
    if (at > elapsed || at > REPLY_RETRY_FOR_MS) return n;
  }
}

/** What retrying replies needs of the server. */
export interface RetryDeps extends SendMailDeps {
  sites: Pick<SiteRegistry, 'get'>;
}

/**
 * Tries again each agent's reply that could not be sent (SMTP down) and whose next try is due;
 * resolves with how many went out now. The stored rows are the queue, so a restart goes on where
 * it stopped; each try is claimed in `meta` first, so of several instances one sends it.
 * Automatic answers are not retried: a person took over when one failed.
 */
export async function retryFailedReplies(deps: RetryDeps): Promise<number> {
  const rows = await deps.store.listFailedReplies(deps.now() - REPLY_RETRY_FOR_MS, 100);
  const last = retriesDue(REPLY_RETRY_FOR_MS);
  let sent = 0;
  for (const listed of rows) {
    // Each row on its own clock: a send may wait for minutes on a server that does not answer.
    const due = retriesDue(deps.now() - listed.receivedAt);
    if (due === 0 || !mayRetry(listed)) continue;
    const key = `mail-retry:${listed.id}:${due}`;
    const claim = randomUUID();
    // Every try's claim stays (at most one per due try, a few a day): deleting them would let an
    // instance that read the row before a later try claim its own, earlier try again.
    if ((await deps.store.getOrSetMeta(key, claim)) !== claim) continue;
    // Read again after claiming: another instance may have sent it meanwhile on a later try.
    const row = await deps.store.getMail(listed.id);
    if (row === undefined || !mayRetry(row)) continue;
    const site = await deps.sites.get(row.siteKey);
    if (site === undefined) continue;
    // The first send was try 1.
    const result = await resendChannelMail(deps, site, row, due + 1);
    if (result.status === 'sent') sent++;
    else if (due === last || !mayRetry(result))
      deps.logger.warn(
        `mail ${row.id} to the customer of site "${site.key}" could not be sent; not tried again`,
      );
  }
  return sent;
}
