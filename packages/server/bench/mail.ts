// The mail listener's throughput (issue 16: "at least 50 mails/s on the CI machine"; part of
// `pnpm bench:server`; alone: `BENCH_ONLY=mail pnpm bench:server` or `tsx packages/server/bench/mail.ts`,
// `BENCH_MAILS` mails, default 500). A real server on a fresh
// SQLite store (synchronous = full, the default: every acknowledged mail is on disk) with one site
// whose listener runs on loopback; nodemailer sends the mails over 4 pooled connections, as a
// forwarding mail server would. Prints mails/s acknowledged (stored before the 250) and mails/s
// decided (parsed, triaged; without a model every mail becomes a handoff).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { silentLogger } from '../src/options.js';
import { startServer } from '../src/server.js';
import { mailClient } from '../src/test-support/mail.js';
import { writeSiteFile } from '../src/test-support/server.js';
import { seconds } from './format.js';

const count = Number(process.env.BENCH_MAILS ?? 500);
const target = 50;
/** Times the listener on a fresh SQLite store; returns whether the target held. */
export async function runMailBench(): Promise<boolean> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lotse-mail-bench-'));
  try {
    const site = writeSiteFile(dir, {
      key: 'shop',
      title: 'Nordlicht',
      allowedOrigins: [],
      responseMinutes: { '1': 480, '2': 240, '3': 960 },
      timeZone: 'UTC',
      mail: { addresses: ['hilfe@nordlicht.test'], listener: { host: '127.0.0.1', port: 0 } },
    });
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      siteFiles: [site],
      logger: silentLogger,
      admin: { password: 'bench-password' },
      secret: 'bench-secret-bench-secret-bench-secret',
    });
    const client = mailClient(server.mail.listeners()[0]!.port, true);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        client.sendMail({
          from: `kunde${i % 50}@kunde.example`,
          to: 'hilfe@nordlicht.test',
          subject: `Bestellung ${i}`,
          text: 'Mein Paket ist seit zwei Wochen nicht angekommen. Bitte helfen Sie mir.\n\nGruß',
        }),
      ),
    );
    const acked = performance.now() - started;
    await server.mail.settled();
    const decided = performance.now() - started;
    client.close();
    const handoffs = await server.store.countHandoffs('shop');
    await server.close();
    const rate = (ms: number) => (count / (ms / 1000)).toFixed(0);
    console.log(
      `mail listener: ${count} mails acknowledged in ${seconds(acked)} = ${rate(acked)} mails/s ` +
        `(target ≥ ${target}); all decided after ${seconds(decided)} = ${rate(decided)} mails/s ` +
        `(${handoffs} handoffs); load average ${loadavg()[0]!.toFixed(2)}`,
    );
    const ok = count / (acked / 1000) >= target;
    console.log(
      `acceptance (mail listener ≥ ${target} mails/s acknowledged): ${ok ? 'met' : 'NOT met'}`,
    );
    return ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!(await runMailBench())) process.exitCode = 1;
}
