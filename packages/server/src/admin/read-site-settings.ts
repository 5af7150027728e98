import type * as z from 'zod';
import { fill } from '../kb/kb-messages.js';
import { type SiteSettings, siteSettingsSchema } from '../sites/site-settings.js';
import type { AdminMessages } from './admin-messages.js';

/** One problem of posted site settings, at a dotted `path` into the JSON ('' = the whole). */
export type SiteIssue =
  | { path: string; code: 'invalid_json'; detail: string }
  | { path: 'key'; code: 'key_taken' | 'key_fixed'; key: string }
  | { path: 'key'; code: 'key_reserved' }
  | { path: string; code: 'schema'; issue: z.core.$ZodIssue; missing: boolean };

/** {@link readSiteSettings}'s answer: the settings, or every problem found. */
export type ReadSiteSettingsResult =
  | { ok: true; settings: SiteSettings }
  | { ok: false; issues: SiteIssue[] };

const dotted = (path: readonly PropertyKey[]) => path.map(String).join('.');

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const step of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

/**
 * Parses the settings an admin typed as the site files' schema does (`siteSettingsSchema`),
 * keeping each problem with its place, so the page can say them in the admin's language.
 */
export function readSiteSettings(text: string): ReadSiteSettingsResult {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      issues: [{ path: '', code: 'invalid_json', detail: (error as Error).message }],
    };
  }
  const result = siteSettingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  const issues = result.error.issues.flatMap((issue): SiteIssue[] =>
    // One line per unknown key, at the key itself: that is where the typo is.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: dotted([...issue.path, key]),
          code: 'schema',
          issue,
          missing: false,
        }))
      : [
          {
            path: dotted(issue.path),
            code: 'schema',
            issue,
            missing: issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined,
          },
        ],
  );
  return { ok: false, issues };
}

// Zod's own messages start so; the site settings' messages ("must be …") are written for people.
const zodDefault = /^(Invalid|Too (small|big)|Unrecognized key|Expected)/;

function schemaMessage(m: AdminMessages, issue: z.core.$ZodIssue, missing: boolean): string {
  const i = m.issue;
  if (!zodDefault.test(issue.message)) return m.schemaMessages[issue.message] ?? issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      if (missing) return i.missing;
      const expected = issue.expected;
      const named = ['string', 'number', 'int', 'boolean', 'array', 'object'] as const;
      const known = named.find((n) => n === expected);
      if (known !== undefined) return i[known];
      return fill(i.wrongType, { expected });
    }
    case 'unrecognized_keys':
      return i.notSetting;
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string') return n === 1 ? i.empty : fill(i.minChars, { n });
      if (issue.origin === 'array') return fill(i.minItems, { n });
      if (issue.origin === 'number') return fill(issue.inclusive ? i.min : i.above, { n });
      return issue.message;
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'string') return fill(i.maxChars, { n });
      if (issue.origin === 'array') return fill(i.maxItems, { n });
      if (issue.origin === 'number') return fill(issue.inclusive ? i.max : i.below, { n });
      return issue.message;
    }
    case 'invalid_format':
      if (issue.format === 'email') return i.email;
      if (issue.format === 'url') return i.url;
      if (issue.format === 'date') return i.date;
      return i.format;
    case 'invalid_value':
      return fill(i.oneOf, { values: issue.values.map((v) => JSON.stringify(v)).join(', ') });
    default:
      // Rare ones (a union, a record key): Zod's English, which names what it expected.
      return issue.message;
  }
}

/** What is wrong, in the admin's language (without the place: see `SiteIssue.path`). */
export function describeSiteIssue(m: AdminMessages, issue: SiteIssue): string {
  switch (issue.code) {
    case 'invalid_json':
      return fill(m.issue.invalidJson, { detail: issue.detail });
    case 'key_taken':
      return fill(m.issue.keyTaken, { key: issue.key });
    case 'key_fixed':
      return fill(m.issue.keyFixed, { key: issue.key });
    case 'key_reserved':
      return m.issue.keyReserved;
    case 'schema':
      return schemaMessage(m, issue.issue, issue.missing);
  }
}
