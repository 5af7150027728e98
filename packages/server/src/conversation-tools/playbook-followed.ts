import type { InboxHandoff } from '../inbox/inbox-queries.js';
import { topicInfo } from '../inbox/site-topics.js';
import type { ModelRegistry } from '../kb/model-registry.js';
import type { Store } from '../store/store.js';

/** How far one conversation's playbook was worked through. */
export interface PlaybookFollowedRow {
  handoffId: string;
  /** Steps of the topic's playbook (today's served model). */
  steps: number;
  /** Of those, the steps ticked. */
  ticked: number;
  /** `ticked / steps`, 0..1. */
  share: number;
}

/** "Playbook followed" over a set of conversations. */
export interface PlaybookFollowedResult {
  /** One row per conversation whose topic has a playbook; the others have nothing to follow. */
  conversations: PlaybookFollowedRow[];
  /** All ticked steps over all steps of those conversations, or null without any. */
  share: number | null;
}

/**
 * The share of playbook steps ticked per conversation and over all of them, for the dashboard's
 * "playbook followed": a conversation counts with its topic's playbook in the served model, and
 * ticks of steps beyond it (a playbook shortened since) do not count.
 *
 * @example
 * const { share } = await playbookFollowed(deps, await deps.store.listHandoffs({ siteKey: 'demo' }));
 */
export async function playbookFollowed(
  deps: { store: Pick<Store, 'tickedSteps'>; models: ModelRegistry },
  handoffs: readonly Pick<InboxHandoff, 'id' | 'siteKey' | 'topic'>[],
): Promise<PlaybookFollowedResult> {
  const ticks = await deps.store.tickedSteps(handoffs.map((h) => h.id));
  const conversations: PlaybookFollowedRow[] = [];
  let ticked = 0;
  let steps = 0;
  for (const h of handoffs) {
    // The step count is the same in every language; German or English, whichever the model has.
    const count = topicInfo(deps.models, h.siteKey, h.topic, 'en').playbook.length;
    if (count === 0) continue;
    const done = (ticks.get(h.id) ?? []).filter((step) => step < count).length;
    conversations.push({ handoffId: h.id, steps: count, ticked: done, share: done / count });
    ticked += done;
    steps += count;
  }
  return { conversations, share: steps === 0 ? null : ticked / steps };
}
