import type { PanelMessages } from './panel-messages.js';

// The server counts business minutes; a working day is taken as 8 business hours (9–17), the
// demo site's hours, so 960 minutes read as "2 working days".
const minutesPerWorkingDay = 8 * 60;

/**
 * Says a promised response time in minutes, hours or working days, rounding up so the promise holds.
 *
 * @example
 * formatResponseTime(240, panelMessages.de); // '4 Stunden'
 */
export function formatResponseTime(minutes: number, messages: PanelMessages): string {
  const safe = Number.isFinite(minutes) && minutes > 0 ? minutes : 0;
  if (safe < 60) return messages.minutes(Math.max(1, Math.ceil(safe)));
  if (safe < minutesPerWorkingDay) return messages.hours(Math.ceil(safe / 60));
  return messages.workingDays(Math.ceil(safe / minutesPerWorkingDay));
}
