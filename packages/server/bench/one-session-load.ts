// Load generator of bench/one-session.ts, in its own process so it does not share the server's event
// loop: `rate` requests a second of `batch` events, all into one session (open loop: a request
// leaves on schedule whether or not the last one was answered), and/or GET /healthz every `probeMs`
// (0: none) for `durationMs`. bench/one-session.ts runs the probe in a second process, so its
// latency is not the sender's. Prints one JSON line: what the server acknowledged, and latencies.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';

/** Input of the generator (argv[2], JSON). */
export interface OneSessionLoadArgs {
  url: string;
  siteKey: string;
  sessionId: string;
  anonymousId: string;
  /** Requests per second. */
  rate: number;
  /** Events per request. */
  batch: number;
  durationMs: number;
  probeMs: number;
  /** Client time of the first event (epoch ms); each next event is one second later. */
  startTs: number;
  /** Number of the first event (continues a session across runs). */
  firstEvent: number;
}

/** Output of the generator (last stdout line, JSON). */
export interface OneSessionLoadResult {
  requests: number;
  /** Replies by status; 0 = no reply (see `failures`). */
  statuses: Record<string, number>;
  /** Why requests got no reply (the error's code or message), one line each. */
  failures: string[];
  /** Sums of the 202 replies. */
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Requests whose reply did not add up (accepted + duplicates + rejected ≠ events sent). */
  inconsistent: number;
  /** Events sent. */
  events: number;
  post: { p50: number; p99: number; max: number };
  healthz: { count: number; failed: number; p50: number; p99: number; max: number };
}

/**
 * Event `n` of a long widget session: conversations of ten events each that end by self-service,
 * by a handoff after an unanswered question, or abandoned; public event types only.
 */
export function oneSessionEvent(
  a: Pick<OneSessionLoadArgs, 'siteKey' | 'sessionId' | 'anonymousId' | 'startTs'>,
  n: number,
): Record<string, unknown> {
  const c = Math.floor(n / 10);
  const step = n % 10;
  const kind = c % 3;
  const topic = ['returns', 'shipping', 'payment'][c % 3]!;
  const channel = c % 4 === 0 ? 'email' : 'widget';
  const conversationId = `load-${c}`;
  const steps: [string, Record<string, unknown>][] = [
    ['widget.opened', { trigger: 'launcher', channel }],
    ['query.submitted', { locale: 'de', channel, length: 30 }],
    ['triage.decided', { kind: 'answer', level: 1 + (c % 3), topic, confidence: 0.8, signals: [] }],
    ['answer.shown', { entryId: 'returns-label', topic, level: 1 }],
    [
      kind === 0 ? 'answer.rated' : 'query.unanswered',
      kind === 0
        ? { entryId: 'returns-label', helpful: true, topic }
        : { text: 'Wo ist meine Rechnung?', locale: 'de', topic },
    ],
    ['answer.rated', { entryId: 'payment-methods', helpful: false, topic }],
    kind === 1
      ? ['handoff.created', { ticketId: `T-LOAD${c}`, level: 2, topic, channel }]
      : ['conversation.abandoned', { stage: 'answer' }],
    ['suggestion.clicked', { entryId: 'returns-label', rank: 0, topic }],
    ['nps.submitted', { score: c % 11 }],
    ['widget.opened', { trigger: 'api' }],
  ];
  const [type, props] = steps[step]!;
  return {
    id: randomUUID(),
    type,
    ts: a.startTs + n * 1000,
    siteKey: a.siteKey,
    sessionId: a.sessionId,
    anonymousId: a.anonymousId,
    ...(kind === 1 && step >= 4 ? { conversationId } : {}),
    props,
  };
}

/** The `p` quantile (0–1) of ascending `sorted` values (0 when there are none). */
export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** GET `url`, or POST `body` as JSON to it; resolves with the status and the answer's text. */
export function requestText(
  agent: Agent,
  url: URL,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: body === undefined ? 'GET' : 'POST',
        agent,
        headers:
          body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed as idle just as this request took it: the request
      // never reached the server, so sending it again is safe (what Node's documentation advises).
      if (req.reusedSocket && error.code === 'ECONNRESET') {
        requestText(agent, url, body).then(resolve, reject);
      } else {
        reject(error);
      }
    });
    req.end(body);
  });
}

async function main(a: OneSessionLoadArgs): Promise<OneSessionLoadResult> {
  const events = new URL('/v1/events', a.url);
  const healthz = new URL('/healthz', a.url);
  const posts = new Agent({ keepAlive: true, maxSockets: 64 });
  const probes = new Agent({ keepAlive: true, maxSockets: 1 });
  const result: OneSessionLoadResult = {
    requests: 0,
    statuses: {},
    failures: [],
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    inconsistent: 0,
    events: 0,
    post: { p50: 0, p99: 0, max: 0 },
    healthz: { count: 0, failed: 0, p50: 0, p99: 0, max: 0 },
  };
  const postMs: number[] = [];
  const probeMs: number[] = [];
  let next = a.firstEvent;
  const send = async () => {
    const batch = Array.from({ length: a.batch }, () => oneSessionEvent(a, next++));
    result.events += batch.length;
    const t0 = performance.now();
    const r = await requestText(posts, events, JSON.stringify({ events: batch })).catch(
      (error: NodeJS.ErrnoException) => {
        result.failures.push(error.code ?? error.message);
        return { status: 0, text: '' };
      },
    );
    postMs.push(performance.now() - t0);
    result.requests++;
    result.statuses[r.status] = (result.statuses[r.status] ?? 0) + 1;
    if (r.status !== 202) return;
    const body = JSON.parse(r.text) as {
      accepted: number;
      duplicates: number;
      rejected: unknown[];
    };
    result.accepted += body.accepted;
    result.duplicates += body.duplicates;
    result.rejected += body.rejected.length;
    if (body.accepted + body.duplicates + body.rejected.length !== batch.length)
      result.inconsistent++;
  };
  let probing = true;
  const probe = async () => {
    while (probing) {
      const t0 = performance.now();
      const r = await requestText(probes, healthz).catch(() => ({ status: 0, text: '' }));
      const ms = performance.now() - t0;
      if (r.status === 200) probeMs.push(ms);
      else result.healthz.failed++;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, a.probeMs - ms)));
    }
  };
  const prober = a.probeMs > 0 ? probe() : Promise.resolve();
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  const total = Math.round((a.durationMs / 1000) * a.rate);
  const interval = 1000 / a.rate;
  let due = started;
  for (let i = 0; i < total; i++) {
    // On schedule whatever the answers, so a slow answer never slows the sender down. A sender
    // that stalled itself (a loaded machine) catches up at most one interval and goes on at its
    // rate: sending all it missed at once, it would meet the default client limit (60 tokens) after
    // a stall of more than 4 s at 15 requests a second. Such a stall lengthens the run by about
    // its length, a tail the /healthz probe (`durationMs` long) does not cover.
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send());
    due = Math.max(due + interval, performance.now());
  }
  const left = started + a.durationMs - performance.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  await Promise.all(inFlight);
  probing = false;
  await prober;
  posts.destroy();
  probes.destroy();
  postMs.sort((x, y) => x - y);
  probeMs.sort((x, y) => x - y);
  result.post = {
    p50: percentile(postMs, 0.5),
    p99: percentile(postMs, 0.99),
    max: postMs.at(-1) ?? 0,
  };
  result.healthz = {
    count: probeMs.length,
    failed: result.healthz.failed,
    p50: percentile(probeMs, 0.5),
    p99: percentile(probeMs, 0.99),
    max: probeMs.at(-1) ?? 0,
  };
  return result;
}

// Run as a script (not imported by another bench for its helpers).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await main(JSON.parse(process.argv[2] ?? '{}') as OneSessionLoadArgs);
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
