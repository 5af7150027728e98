import type * as z from 'zod';
import type { dashboardTargetsSchema, ResolvedSite } from '../sites/site-settings.js';

/**
 * Targets of the dashboard's tiles, as the tiles compare them: rates as shares 0..1, the first
 * response in minutes, CES on 1–7, NPS from −100 to 100. A tile shows its target and gap only when
 * its target is set.
 */
export type DashboardTargets = z.infer<typeof dashboardTargetsSchema>;

const share = (percent: number | undefined) => (percent === undefined ? undefined : percent / 100);

/** The targets a site's settings set at `dashboard.targets` (rates there are in percent). */
export function targetsOf(site: Pick<ResolvedSite, 'settings'>): DashboardTargets {
  const t = site.settings.dashboard?.targets ?? {};
  const shares: DashboardTargets = {
    ...t,
    selfServiceRate: share(t.selfServiceRate),
    escalationRate: share(t.escalationRate),
    firstContactResolution: share(t.firstContactResolution),
    csat: share(t.csat),
  };
  return Object.fromEntries(
    Object.entries(shares).filter(([, v]) => v !== undefined),
  ) as DashboardTargets;
}
