import type { core } from 'zod';
import type { DataPath } from './parse-yaml.js';

/** What a field must be and how to fix it; the key is a path pattern like `topics.*.level`. */
export interface FieldRule {
  /** Completes `field "x" …`, e.g. `must be 1, 2 or 3`. */
  expect: string;
  /** A sentence on how to fix it or what the field is for. */
  hint?: string;
  /** Allowed keys when the field is an object, for unknown-field messages. */
  keys?: readonly string[];
}

/** A problem located in one file, before the file name is attached. */
export interface LocatedProblem {
  line: number;
  field: string | null;
  message: string;
}

/** Turns zod issues into messages that name the field, show the wrong value and say how to fix it. */
export function explainIssues(
  issues: readonly core.$ZodIssue[],
  data: unknown,
  rules: Readonly<Record<string, FieldRule>>,
  dynamicParents: ReadonlySet<string>,
  lineOf: (path: DataPath) => number,
): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  for (const issue of issues) {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      const allowed = rules[patternOf(path, dynamicParents)]?.keys ?? [];
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        const guess = closest(key, allowed);
        problems.push({
          line: lineOf(keyPath),
          field: fieldName(keyPath),
          message:
            `unknown field "${fieldName(keyPath)}".` +
            (guess === null ? '' : ` Did you mean "${guess}"?`) +
            (allowed.length > 0 ? ` Allowed here: ${allowed.join(', ')}.` : ''),
        });
      }
      continue;
    }
    if (issue.code === 'invalid_key') {
      // A record key (a topic or level id) is wrong: blame the key itself.
      const rule = rules[`${patternOf(path.slice(0, -1), dynamicParents)}#key`];
      const key = String(path[path.length - 1] ?? '');
      problems.push({
        line: lineOf(path),
        field: fieldName(path),
        message: `key ${JSON.stringify(key)} ${rule?.expect ?? 'is not allowed here'}.${rule?.hint ? ` ${rule.hint}` : ''}`,
      });
      continue;
    }
    const field = fieldName(path);
    const value = valueAt(data, path);
    if (issue.code === 'custom') {
      problems.push({ line: lineOf(path), field, message: issue.message });
      continue;
    }
    const rule = rules[patternOf(path, dynamicParents)];
    const subject = path.length === 0 ? 'the file' : `field "${field}"`;
    const hint = rule?.hint ? ` ${rule.hint}` : '';
    if (value === undefined) {
      problems.push({ line: lineOf(path), field, message: `${subject} is missing.${hint}` });
    } else {
      const expect = rule?.expect ?? issue.message;
      problems.push({
        line: lineOf(path),
        field,
        message: `${subject} ${expect} (got ${show(value)}).${hint}`,
      });
    }
  }
  return problems;
}

/** `['topics', 'shipping', 'playbook', 'de', 2]` → `topics.*.playbook.*[]`. */
export function patternOf(path: DataPath, dynamicParents: ReadonlySet<string>): string {
  let pattern = '';
  let previous = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      pattern += '[]';
    } else {
      const name = dynamicParents.has(previous) ? '*' : String(segment);
      pattern += pattern === '' ? name : `.${name}`;
    }
    previous = String(segment);
  }
  return pattern;
}

/** `['examples', 2]` → `examples[2]`. */
export function fieldName(path: DataPath): string {
  let name = '';
  for (const segment of path) {
    if (typeof segment === 'number') name += `[${segment}]`;
    else name += name === '' ? String(segment) : `.${String(segment)}`;
  }
  return name;
}

/** Shows a wrong value briefly: strings quoted, long ones cut. */
export function show(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value))
    return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The allowed name closest to a misspelt one, or null when none is close. */
export function closest(name: string, allowed: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of allowed) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

function valueAt(data: unknown, path: DataPath): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}
