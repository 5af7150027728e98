/** One problem in a knowledge base: where it is and how to fix it. */
export interface KnowledgeBaseIssue {
  /** Path relative to the knowledge-base folder, e.g. `entries/shipping/lost-parcel.de.md`. */
  file: string;
  /** 1-based line in that file. */
  line: number;
  /** The field at fault (`level`, `examples[2]`, `topics.shipping.level`, `answer`), or null for the whole file. */
  field: string | null;
  /** What is wrong and how to fix it, e.g. `field "level" must be 1, 2 or 3 (got "high"). …`. */
  message: string;
}

/** Thrown by `compileKnowledgeBase` with every problem found, not just the first. */
export class KnowledgeBaseError extends Error {
  override readonly name = 'KnowledgeBaseError';
  readonly code = 'invalid_knowledge_base';
  readonly issues: readonly KnowledgeBaseIssue[];

  constructor(issues: readonly KnowledgeBaseIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(
      `[lotse] Invalid knowledge base, ${count}:\n${issues.map((issue) => `  ${formatIssue(issue)}`).join('\n')}`,
    );
    this.issues = issues;
  }
}

/** Formats an issue as `file:line: message`, the shape editors and terminals link to. */
export function formatIssue(issue: KnowledgeBaseIssue): string {
  return `${issue.file}:${issue.line}: ${issue.message}`;
}

/** Tells whether a value is a {@link KnowledgeBaseError}, also one from another realm or copy of the package. */
export function isKnowledgeBaseError(value: unknown): value is KnowledgeBaseError {
  return (
    value instanceof Error &&
    value.name === 'KnowledgeBaseError' &&
    Array.isArray((value as KnowledgeBaseError).issues)
  );
}
