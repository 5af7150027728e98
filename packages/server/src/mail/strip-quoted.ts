// Headers that introduce quoted history, as the common mail programs write them (Gmail, Apple Mail,
// Thunderbird: "On … wrote:"; Outlook: "-----Original Message-----" or a From:/Von: block), in
// English and German.
const quoteIntro = [
  /^\s*on\b.{0,300}\bwrote:\s*$/i,
  /^\s*am\b.{0,300}\bschrieb\b.{0,200}:\s*$/i,
  /^\s*-{2,}\s*(original message|ursprüngliche nachricht|forwarded message|weitergeleitete nachricht)\s*-{2,}\s*$/i,
  /^\s*_{8,}\s*$/,
];
// An Outlook-style header block: "From: …" / "Von: …" followed by Sent/Gesendet/Date/To within a few lines.
const headerStart = /^\s*\*?(from|von):\*?\s/i;
const headerNext = /^\s*\*?(sent|gesendet|date|datum|to|an|subject|betreff):\*?\s/i;
// "-- " is the signature separator of RFC 3676 (many programs drop the trailing space); the rest
// are the sign-offs phones add.
const signatureStart = [
  /^-- ?$/,
  /^(sent from my|gesendet von meinem|von meinem .{1,40} gesendet)\b/i,
];

/**
 * The customer's own words of a mail: quoted history (`>` lines and the block under an "On … wrote:"
 * or Outlook header) and the signature removed, so triage decides what was newly written.
 *
 * @example stripQuoted('Wo ist mein Paket?\n\nAm Mo., 1. Dez. schrieb Shop:\n> Danke') // 'Wo ist mein Paket?'
 */
export function stripQuoted(text: string): string {
  return splitQuoted(text).own;
}

/**
 * Whether the customer wrote nothing below the quoted history (only `>` lines and their "On …
 * wrote:" follow their words): then `stripQuoted` holds all they wrote, and a reply may be read by
 * it alone. An Outlook-style quote or a signature is not told apart from words written under it.
 */
export function writesOnlyAbove(text: string): boolean {
  return splitQuoted(text).rest.every(
    (line) => line.trim() === '' || /^\s*>/.test(line) || quoteIntro.some((re) => re.test(line)),
  );
}

function splitQuoted(text: string): { own: string; rest: string[] } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (quoteIntro.some((re) => re.test(line))) break;
    if (signatureStart.some((re) => re.test(line))) break;
    if (headerStart.test(line) && lines.slice(i + 1, i + 4).some((l) => headerNext.test(l))) break;
    // Gmail wraps a long "On … wrote:" over two lines.
    if (/^\s*(on|am)\b/i.test(line) && /\b(wrote|schrieb\b.*):\s*$/i.test(lines[i + 1] ?? '')) {
      i++;
      break;
    }
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  const own = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { own, rest: lines.slice(i + 1) };
}
