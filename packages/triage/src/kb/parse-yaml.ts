import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

/** A path into parsed data, as zod reports it. */
export type DataPath = readonly PropertyKey[];

/** Parsed YAML (or JSON) with a way back from a data path to its line. */
export interface ParsedYaml {
  data: unknown;
  /** Syntax errors, with lines already shifted into the file. */
  errors: { line: number; message: string }[];
  /** Line of the key (or item) at `path` in the file; the closest existing parent when missing. */
  lineOf: (path: DataPath) => number;
}

/**
 * Parses YAML text that starts at `firstLine` of its file. JSON is YAML 1.2, so the same
 * function locates fields of `lotse.config.json`.
 */
export function parseYaml(text: string, firstLine: number): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const toLine = (offset: number): number => lineCounter.linePos(offset).line + firstLine - 1;
  const errors = doc.errors.map((error) => ({
    line: toLine(error.pos[0]),
    message: error.message.split('\n')[0] ?? error.message,
  }));
  let data: unknown = null;
  if (errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      errors.push({
        line: firstLine,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const lineOf = (path: DataPath): number => {
    let node: unknown = doc.contents;
    let line = firstLine;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) =>
            isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
        );
        const key = pair?.key;
        if (!isScalar(key) || key.range == null) return line;
        line = toLine(key.range[0]);
        node = pair?.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        const range = (item as { range?: [number, number, number] | null } | undefined)?.range;
        if (range == null) return line;
        line = toLine(range[0]);
        node = item;
      } else {
        return line;
      }
    }
    return line;
  };
  return { data, errors, lineOf };
}
