/** The dotted path of a zod issue, with an unknown key reported at the key itself. */
export function issueField(issue: {
  path: readonly PropertyKey[];
  code: string;
  keys?: readonly string[];
}): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys?.[0] !== undefined) path.push(issue.keys[0]);
  return path.join('.');
}
