// Headers that introduce quoted history, as the common mail programs write them (Gmail, Apple Mail,
// Thunderbird: "On … wrote:"; Outlook: "-----Original Message-----" or a From:/Von: block), in
// English and German.
const replyIntro = [/^\s*on\b.{0,300}\bwrote:\s*$/i, /^\s*am\b.{0,300}\bschrieb\b.{0,200}:\s*$/i];
const outlookIntro = [
  /^\s*-{2,}\s*(original message|ursprüngliche nachricht)\s*-{2,}\s*$/i,
  /^\s*_{8,}\s*$/,
];
// What Gmail, Thunderbird and Apple Mail put above a forwarded mail, whatever the subject says.
const forwardIntro = [
  /^\s*-{2,}\s*(forwarded message|weitergeleitete nachricht)\s*-{2,}\s*$/i,
  /^\s*(begin forwarded message|anfang der weitergeleiteten nachricht)\s*:\s*$/i,
];
const quoteIntro = [...replyIntro, ...outlookIntro, ...forwardIntro];
// An Outlook-style header block: "From: …" / "Von: …" followed by Sent/Gesendet/Date/To within a few lines.
const headerStart = /^\s*\*?(from|von):\*?\s/i;
const headerNext = /^\s*\*?(sent|gesendet|date|datum|to|an|subject|betreff):\*?\s/i;
// "-- " is the signature separator of RFC 3676 (many programs drop the trailing space); the rest
// are the sign-offs phones add.
const signatureStart = [
  /^-- ?$/,
  /^(sent from my|gesendet von meinem|von meinem .{1,40} gesendet)\b/i,
];
// Outlook forwards with the same separators as it replies: only the subject ("WG:", "Fwd:",
// "FW:") tells a forward from a reply.
const forwardSubject = /^\s*(fwd?|wg)\s*:/i;

/** What {@link stripQuoted} reads besides the text. */
export interface StripQuotedOptions {
  /** The mail's subject: one starting with "WG:", "Fwd:" or "FW:" makes an Outlook quote a forward. */
  subject?: string | undefined;
}

/**
 * The customer's own words of a mail: quoted history (`>` lines and the block under an "On … wrote:"
 * or Outlook header) and the signature removed, so triage decides what was newly written. A reply
 * that starts with the quote ("bottom-posting") keeps the words under it; a forwarded mail is not
 * history and is kept whole, under the customer's words.
 *
 * @example stripQuoted('Wo ist mein Paket?\n\nAm Mo., 1. Dez. schrieb Shop:\n> Danke') // 'Wo ist mein Paket?'
 */
export function stripQuoted(text: string, options: StripQuotedOptions = {}): string {
  return splitQuoted(text, options).own;
}

/**
 * Whether `stripQuoted` holds all the customer wrote (only `>` lines and their "On … wrote:" are
 * left out, above or below their words), so a reply may be read by it alone. An Outlook-style quote
 * or a signature is not told apart from words written under it.
 */
export function writesOnlyAbove(text: string, options: StripQuotedOptions = {}): boolean {
  return splitQuoted(text, options).rest.every(
    (line) => line.trim() === '' || /^\s*>/.test(line) || quoteIntro.some((re) => re.test(line)),
  );
}

function splitQuoted(text: string, options: StripQuotedOptions): { own: string; rest: string[] } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const forwarded = forwardSubject.test(options.subject ?? '');
  const isHeaderBlock = (i: number) =>
    headerStart.test(lines[i]!) && lines.slice(i + 1, i + 4).some((l) => headerNext.test(l));
  // Where a forwarded mail starts at line i, if it does.
  const isForward = (i: number) =>
    forwardIntro.some((re) => re.test(lines[i]!)) ||
    (forwarded && (outlookIntro.some((re) => re.test(lines[i]!)) || isHeaderBlock(i)));
  const kept: string[] = [];
  const result = (rest: string[], forward: string[] = []) => {
    const own = kept
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    const whole = forward.join('\n').trim();
    return { own: [own, whole].filter((s) => s !== '').join('\n\n'), rest };
  };
  // Nothing of the customer's yet: a quote here is what they answer under.
  const nothingYet = () => kept.every((l) => l.trim() === '');
  // The quote starts the mail and `>` lines follow its intro (line i ends it).
  const quotedBelow = (i: number) =>
    nothingYet() && /^\s*>/.test(lines.slice(i + 1).find((l) => l.trim() !== '') ?? '');
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (isForward(i)) return result([], lines.slice(i));
    if (replyIntro.some((re) => re.test(line))) {
      if (quotedBelow(i)) continue;
      break;
    }
    if (quoteIntro.some((re) => re.test(line))) break;
    if (signatureStart.some((re) => re.test(line))) {
      // A signature above a forwarded mail ends the customer's words, not the mail (but a forward
      // inside quoted history below it stays history).
      const next = lines.findIndex(
        (l, j) =>
          j > i && (isForward(j) || quoteIntro.some((re) => re.test(l)) || isHeaderBlock(j)),
      );
      if (next !== -1 && isForward(next)) return result([], lines.slice(next));
      break;
    }
    if (isHeaderBlock(i)) break;
    // Gmail wraps a long "On … wrote:" over two lines.
    if (/^\s*(on|am)\b/i.test(line) && /\b(wrote|schrieb\b.*):\s*$/i.test(lines[i + 1] ?? '')) {
      i++;
      if (quotedBelow(i)) continue;
      break;
    }
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  return result(lines.slice(i + 1));
}
