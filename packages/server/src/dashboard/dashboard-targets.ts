import * as z from 'zod';

const rate = z.number().min(0).max(1);

/**
 * Targets (benchmarks) of the dashboard's tiles, as an owner sets them: rates as shares 0..1, the
 * first response in minutes, CSAT as a share, CES on its 1–7 scale, NPS from −100 to 100. A tile
 * shows its target and gap only when its target is set.
 */
export const dashboardTargetsSchema = z.strictObject({
  selfServiceRate: z.optional(rate),
  escalationRate: z.optional(rate),
  firstContactResolution: z.optional(rate),
  frtMedianMinutes: z.optional(z.number().min(0).max(525_600)),
  csat: z.optional(rate),
  ces: z.optional(z.number().min(1).max(7)),
  nps: z.optional(z.number().min(-100).max(100)),
});

/** Targets of the dashboard's tiles (see {@link dashboardTargetsSchema}); none set = `{}`. */
export type DashboardTargets = z.infer<typeof dashboardTargetsSchema>;

/**
 * The targets in a site's settings at `team.targets`, once the settings carry that block (until
 * then, and for a block that does not parse, none: the tiles then show no target rather than a
 * wrong one).
 */
export function targetsOf(site: object): DashboardTargets {
  const team: unknown = 'team' in site ? site.team : undefined;
  if (typeof team !== 'object' || team === null || !('targets' in team)) return {};
  const parsed = dashboardTargetsSchema.safeParse(team.targets);
  return parsed.success ? parsed.data : {};
}
