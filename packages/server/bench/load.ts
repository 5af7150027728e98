// Load generator for bench/server.ts, run in its own process so it does not share the server's
// event loop: `concurrency` keep-alive connections each POST batches back to back for `durationMs`.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

interface LoadOptions {
  url: string;
  concurrency: number;
  batchSize: number;
  warmupMs: number;
  durationMs: number;
  siteKey: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
const target = new URL('/v1/events', options.url);
const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
const sessionId = randomUUID();
const anonymousId = randomUUID();

function batch(): string {
  const events = [];
  for (let i = 0; i < options.batchSize; i++) {
    events.push({
      id: randomUUID(),
      type: i % 2 === 0 ? 'widget.opened' : 'triage.decided',
      ts: Date.now(),
      siteKey: options.siteKey,
      sessionId,
      anonymousId,
      props:
        i % 2 === 0
          ? { trigger: 'launcher', locale: 'de' }
          : { kind: 'answer', level: 1, topic: 'returns', confidence: 0.91, signals: [] },
    });
  }
  return JSON.stringify({ events });
}

function post(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const latencies: number[] = [];
const statuses = new Map<number, number>();
let measuring = false;
let stop = false;
let accepted = 0;

async function worker(): Promise<void> {
  while (!stop) {
    const body = batch();
    const start = process.hrtime.bigint();
    const status = await post(body);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!measuring) continue;
    latencies.push(ms);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status === 202) accepted += options.batchSize;
  }
}

const workers = Array.from({ length: options.concurrency }, worker);
await new Promise((r) => setTimeout(r, options.warmupMs));
measuring = true;
const started = process.hrtime.bigint();
await new Promise((r) => setTimeout(r, options.durationMs));
measuring = false;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
stop = true;
await Promise.all(workers);
agent.destroy();

latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({
    requests: latencies.length,
    seconds,
    eventsPerSecond: accepted / seconds,
    requestsPerSecond: latencies.length / seconds,
    p50: pct(0.5),
    p99: pct(0.99),
    max: latencies.at(-1) ?? 0,
    statuses: Object.fromEntries(statuses),
  })}\n`,
);
