// A flag in the host page's storage that says "this visitor handed off here": it holds no token and no
// text, only lets later page loads check for replies. Without it (every first-time visitor) the loader
// requests nothing before the first interaction (DESIGN.md, "The visitor's path" 1).

const keyOf = (site: string) => `lotse:${site}:followup`;

/** Whether the visitor handed off on this site before (and the panel still keeps a conversation). */
export function hasFollowUp(site: string): boolean {
  try {
    return localStorage.getItem(keyOf(site)) === '1';
  } catch {
    return false;
  }
}

/** Sets or clears the flag; blocked storage just means no badge on later page loads. */
export function setFollowUp(site: string, on: boolean): void {
  try {
    if (on) localStorage.setItem(keyOf(site), '1');
    else localStorage.removeItem(keyOf(site));
  } catch {
    // As above.
  }
}
