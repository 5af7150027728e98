// Shared by the server benches: PostgreSQL's CPU, read from /proc for the processes named postgres
// (none visible: undefined), so nothing else should use the database server meanwhile.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU milliseconds so far of each visible postgres process, by pid. */
export function postgresCpu(): Map<string, number> {
  const cpu = new Map<string, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return cpu;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    if (!stat.includes('(postgres)')) continue;
    // utime and stime, the 14th and 15th fields: the 12th and 13th after the name's ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * 10); // USER_HZ is 100 on Linux
  }
  return cpu;
}

/**
 * PostgreSQL's CPU milliseconds between two readings: what each process alive at the end used since
 * the first (all of it when it started meanwhile), or undefined when no postgres process is visible.
 */
export function postgresCpuSince(before: Map<string, number>): number | undefined {
  const after = postgresCpu();
  if (after.size === 0) return undefined;
  let ms = 0;
  for (const [pid, total] of after) ms += total - (before.get(pid) ?? 0);
  return ms;
}
