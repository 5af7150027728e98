/**
 * A persistent outbox for one client's unacknowledged events. The browser adapter keeps it in
 * `localStorage` per tab and hands the events of reloaded or closed tabs to exactly one live tab.
 */
export interface Outbox {
  /** Starts the outbox; events left by earlier pages or closed tabs arrive through `adopt`. */
  open(adopt: (events: readonly unknown[]) => void): void;
  /** Replaces this client's persisted events; may throw (quota), the client catches and reports it. */
  save(events: readonly unknown[]): void;
  /** Removes every persisted event of this site (consent denied). */
  clear(): void;
  /** Stops timers and releases locks; persisted events stay for the next page or tab. */
  close(): void;
}

/** A server-sent event stream as the client reads it: the part of the browser's `EventSource` it uses. */
export interface EventStream {
  /** 2 (`EventSource.CLOSED`) once the server refused the stream and the browser stopped retrying. */
  readonly readyState: number;
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void;
  close(): void;
}

/**
 * What the client needs from its environment, passed in rather than imported (like Floating UI's
 * `platform`), so the core runs unchanged in browsers, Node and tests.
 */
export interface Platform {
  /** Creates the persistent outbox for one site; without it events live in memory only. */
  createOutbox?(scope: string): Outbox;
  /** Calls `listener` when the page is hidden or unloaded; returns a function that removes it. */
  onPageHide?(listener: () => void): () => void;
  /** Queues a `text/plain` POST that outlives the page (sendBeacon or fetch keepalive); false if refused. */
  beacon?(url: string, body: string): boolean;
  /** True when the visitor's browser sends Global Privacy Control or Do Not Track. */
  doNotTrack?(): boolean;
  /** Opens a server-sent event stream (`new EventSource(url)`); without it subscriptions poll. */
  openEventStream?(url: string): EventStream;
}
