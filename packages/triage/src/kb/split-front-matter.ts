/** An entry file cut into its YAML front matter and its Markdown answer, with their first lines. */
export interface FrontMatterParts {
  yaml: string;
  /** Line of the opening `---`; the YAML starts on the next line. */
  openLine: number;
  /** Line of the closing `---`. */
  closeLine: number;
  body: string;
  /** Line where the Markdown body starts. */
  bodyLine: number;
}

/**
 * Cuts an entry file at its `---` lines; returns a message instead when the front matter is missing
 * or not closed. Expects text with `\n` line ends.
 */
export function splitFrontMatter(
  text: string,
): FrontMatterParts | { line: number; message: string } {
  const lines = text.split('\n');
  if ((lines[0] ?? '').trimEnd() !== '---') {
    return {
      line: 1,
      message:
        'the file has no front matter. Start it with a line "---", then the fields (id, title, topic, level, locale, examples), then a line "---" and the answer in Markdown.',
    };
  }
  const close = lines.findIndex(
    (line, index) => index > 0 && (line.trimEnd() === '---' || line.trimEnd() === '...'),
  );
  if (close === -1) {
    return {
      line: 1,
      message:
        'the front matter is not closed. Add a line "---" after the last field, before the answer.',
    };
  }
  return {
    yaml: lines.slice(1, close).join('\n'),
    openLine: 1,
    closeLine: close + 1,
    body: lines.slice(close + 1).join('\n'),
    bodyLine: close + 2,
  };
}
