// The "one session" load shape (issue 12): a client posts `rate` requests a second of `batch` events
// into one session id of its choosing, while /healthz is probed. The generator runs in a child
// process (bench/one-session-load.ts); the event loop of this process — where the server runs — is
// measured meanwhile. Used by `pnpm bench:server` and src/dashboard/one-session-load.test.ts.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { OneSessionLoadArgs, OneSessionLoadResult } from './one-session-load.js';

/** Options of {@link runOneSessionLoad}. */
export interface OneSessionLoadOptions {
  url: string;
  siteKey: string;
  /** @default a new random session */
  sessionId?: string;
  anonymousId?: string;
  /** @default 15 */
  rate?: number;
  /** @default 100 */
  batch?: number;
  /** @default 40000 */
  durationMs?: number;
  /** @default 50 */
  probeMs?: number;
  /** @default one day before now */
  startTs?: number;
  /** @default 0 */
  firstEvent?: number;
}

/** Result of {@link runOneSessionLoad}: the generator's figures and this process's event loop. */
export interface OneSessionRun extends OneSessionLoadResult {
  sessionId: string;
  anonymousId: string;
  startTs: number;
  /** Delay of this process's event loop beyond the 10 ms timer, in ms. */
  eventLoop: { p50: number; p99: number; max: number };
  /** Share of the time this event loop was busy. */
  utilization: number;
  /** The same delay in an idle process meanwhile: what the machine's load alone causes. */
  idleProcess: { p50: number; p99: number; max: number };
}

// An idle Node process measuring its own event-loop delay until stdin closes.
const IDLE_PROBE = `const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 });
h.enable();
process.stdin.resume();
process.stdin.on('end', () => {
  h.disable();
  const ms = (ns) => Math.max(0, ns / 1e6 - 10);
  console.log(JSON.stringify({ p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }));
});`;

/**
 * What a `monitorEventLoopDelay({ resolution: 10 })` histogram says about its event loop, in ms: it
 * holds whole timer intervals, so the delay is what exceeds the 10 ms resolution.
 */
export function eventLoopDelayOf(h: IntervalHistogram): { p50: number; p99: number; max: number } {
  const ms = (ns: number) => Math.max(0, ns / 1e6 - 10);
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
}

/** Runs the load shape once against a server in this process. */
export function runOneSessionLoad(options: OneSessionLoadOptions): Promise<OneSessionRun> {
  const args: OneSessionLoadArgs = {
    url: options.url,
    siteKey: options.siteKey,
    sessionId: options.sessionId ?? randomUUID(),
    anonymousId: options.anonymousId ?? randomUUID(),
    rate: options.rate ?? 15,
    batch: options.batch ?? 100,
    durationMs: options.durationMs ?? 40_000,
    probeMs: options.probeMs ?? 50,
    startTs: options.startTs ?? Date.now() - 86_400_000,
    firstEvent: options.firstEvent ?? 0,
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const idle = spawn(process.execPath, ['-e', IDLE_PROBE], { stdio: ['pipe', 'pipe', 'inherit'] });
  let idleOut = '';
  idle.stdout.on('data', (c: Buffer) => {
    idleOut += c.toString();
  });
  const idleDone = new Promise<void>((resolve) => idle.on('close', () => resolve()));
  let elu = performance.eventLoopUtilization();
  const start = (a: OneSessionLoadArgs) =>
    spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'one-session-load.ts'), JSON.stringify(a)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
  const child = start({ ...args, probeMs: 0 });
  // The /healthz probe in a process of its own: its latency is the server's, not the sender's.
  const prober = start({ ...args, rate: 0 });
  let probed = '';
  prober.stdout.on('data', (c: Buffer) => {
    probed += c.toString();
  });
  const probeDone = new Promise<void>((resolve) => prober.on('close', () => resolve()));
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('spawn', () => {
      loop.enable();
      elu = performance.eventLoopUtilization();
    });
    child.on('close', async (code) => {
      loop.disable();
      const utilization = performance.eventLoopUtilization(elu).utilization;
      idle.stdin.end();
      await Promise.all([idleDone, probeDone]);
      if (code !== 0) {
        reject(new Error(`[lotse] one-session load generator exited ${code}`));
        return;
      }
      const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as OneSessionLoadResult;
      const probe = JSON.parse(probed.trim().split('\n').at(-1) ?? '{}') as OneSessionLoadResult;
      r.healthz = probe.healthz;
      resolve({
        ...r,
        sessionId: args.sessionId,
        anonymousId: args.anonymousId,
        startTs: args.startTs,
        eventLoop: eventLoopDelayOf(loop),
        utilization,
        idleProcess: JSON.parse(idleOut.trim() || '{"p50":0,"p99":0,"max":0}'),
      });
    });
  });
}
