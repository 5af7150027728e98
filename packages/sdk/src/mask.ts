/** Longest question text `query.unanswered` may carry, in UTF-16 code units (enough to read a content gap). */
export const MAX_QUESTION_LENGTH = 200;

/** Options for {@link maskPersonalData}. */
export interface MaskOptions {
  /**
   * Cut the masked text to this many characters.
   * @default 200
   */
  maxLength?: number;
  /** A site's own redaction, applied before the built-in masks (which always run). */
  redact?: (text: string) => string;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// ISO 13616: two letters, two check digits, 11–30 alphanumerics, often printed in groups of four.
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/gi;
// Payment cards (ISO/IEC 7812) have 13–19 digits, printed with spaces or dashes.
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
// A phone number starts with +, 00, a trunk 0 or "(", or is a NANP 3-3-4 group; 7–15 digits (E.164).
const PHONE =
  /(?:\+|\b00|\b0|\(0?)\d[\d ()/.-]*\d|\(\d{2,4}\)[ ]?\d[\d /.-]*\d|\b\d{3}[-. ]\d{3}[-. ]\d{4}\b/g;
const DATE = /^\(?\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/;

const digitsOf = (s: string): string => s.replace(/\D/g, '');

/** True when a digit string passes the Luhn check used by payment card numbers. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

function isIbanValid(raw: string): boolean {
  const s = raw.replace(/ /g, '').toUpperCase();
  if (s.length < 15 || s.length > 34) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const value = code < 58 ? ch : String(code - 55);
    for (const d of value) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

function maskOnce(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(IBAN, (m) => {
      // The greedy pattern may swallow a following word ("… 00 bitte"): take the longest valid prefix.
      for (let end = m.length; end >= 15; end--) {
        if (m[end - 1] !== ' ' && isIbanValid(m.slice(0, end))) return `[iban]${m.slice(end)}`;
      }
      return m;
    })
    .replace(CARD, (m) => (isLuhnValid(digitsOf(m)) ? '[card]' : m))
    .replace(PHONE, (m) => {
      const n = digitsOf(m).length;
      return n >= 7 && n <= 15 && !DATE.test(m) ? '[phone]' : m;
    });
}

/**
 * Masks e-mail addresses, phone numbers, IBANs and card numbers in free text and truncates it.
 * @example maskPersonalData('Call me: +49 171 1234567') // 'Call me: [phone]'
 */
export function maskPersonalData(text: string, options: MaskOptions = {}): string {
  const max = options.maxLength ?? MAX_QUESTION_LENGTH;
  let out = maskOnce(options.redact ? options.redact(text) : text);
  if (out.length > max) {
    out = out.slice(0, max);
    // Never leave half of a surrogate pair at the cut.
    if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
    // A cut can turn a longer digit run into a Luhn-valid card number: mask again.
    out = maskOnce(out);
  }
  return out;
}

/** True when {@link maskPersonalData} would leave the text unchanged (it holds no personal data we detect). */
export function isMasked(text: string, maxLength = MAX_QUESTION_LENGTH): boolean {
  return text.length <= maxLength && maskOnce(text) === text;
}
