// Group commit for a store thread: requests that arrive while a commit runs share the next
// transaction, so a slow WAL sync is paid once per group, not once per request. Each request is
// answered only after the transaction holding it has committed.
import { errorText } from './worker-client.js';

/** A queue that runs the requests of one event-loop turn together. */
export interface GroupCommit<Request> {
  add(request: Request): void;
  /** Runs what is queued now (before the thread closes). */
  flush(): void;
}

/**
 * Collects requests and runs them with `commit` once the messages of the current turn are all
 * delivered; `answer` gets each request's result, or the error that failed the whole group.
 */
export function createGroupCommit<Request extends { id: number }, Result>(
  commit: (group: readonly Request[]) => Result[],
  answer: (id: number, reply: Result | { error: string }) => void,
): GroupCommit<Request> {
  let pending: Request[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const group = pending;
    pending = [];
    if (group.length === 0) return;
    try {
      const results = commit(group);
      for (const [i, request] of group.entries()) answer(request.id, results[i]!);
    } catch (error) {
      const message = errorText(error);
      for (const request of group) answer(request.id, { error: message });
    }
  };
  return {
    add(request) {
      pending.push(request);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
