/** Thrown for a malformed line of a JSON Lines file (signal corpus, check suite): names the file, the line and the field. */
export class LineError extends Error {
  constructor(
    /** What the file is, for the message (`signal corpus`). */
    what: string,
    /** The file as given to the parser, e.g. `train/de-waiting.jsonl`. */
    readonly file: string,
    /** 1-based line number. */
    readonly line: number,
    /** The faulty field, or `null` when the line is not a JSON object at all. */
    readonly field: string | null,
    detail: string,
  ) {
    super(
      `[lotse] Invalid ${what}: ${file}:${line}: ${field === null ? '' : `field "${field}" `}${detail}`,
    );
  }
}
