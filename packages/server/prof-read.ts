import { computeTeamFigures } from './src/dashboard/team-figures.js';
import { openStore } from './src/store/open-store.js';

const dataDir = process.argv[2]!;
const store = await openStore({ dataDir });
const from = Date.parse('2025-11-01T00:00:00Z'),
  to = Date.parse('2025-12-01T00:00:00Z');
const hours = {
  timeZone: 'Europe/Berlin',
  days: {
    1: [['09:00', '17:00']],
    2: [['09:00', '17:00']],
    3: [['09:00', '17:00']],
    4: [['09:00', '17:00']],
    5: [['09:00', '17:00']],
  },
  holidays: [],
} as never;
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  const rows = await store.teamRows('bench', from - (to - from), to + k, {
    playbookSteps: () => 3,
  });
  const t1 = performance.now();
  computeTeamFigures(rows, {
    from,
    to,
    now: Date.now(),
    hours,
    team: {
      costPerHour: 35,
      currency: 'EUR',
      paidHoursPerWeek: 40,
      targets: {},
      agentsSeeColleagues: false,
    } as never,
    playbookSteps: () => 3,
  });
  const t2 = performance.now();
  const sessions = new Map<string, number>();
  for (const h of rows.handoffs)
    if (h.sessionId) sessions.set(h.sessionId, (sessions.get(h.sessionId) ?? 0) + 1);
  console.log(
    `reads ${(t1 - t0).toFixed(0)} ms, figures ${(t2 - t1).toFixed(0)} ms; ${rows.handoffs.length} handoffs, ${rows.ratings.length} ratings (${rows.ratings.filter((r) => r.type === 'nps.submitted').length} nps), ${rows.reviews.length} reviews, max handoffs per session ${Math.max(...sessions.values())}, sessions ${sessions.size}`,
  );
}
await store.close();
