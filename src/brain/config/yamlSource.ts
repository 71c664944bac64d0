import { LineCounter, isAlias, isMap, isNode, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { ConfigError } from './ConfigError';

/** A configuration file's text and the name errors will give it (a path the user can open). */
export interface ConfigText {
  text: string;
  file: string;
}

/** A parsed YAML file: its plain data, and the line of any path into it. */
export interface YamlSource {
  file: string;
  data: unknown;
  /** The 1-based line of the node at `path`, or of its nearest ancestor present in the file; null for an empty file. */
  lineOf(path: readonly PropertyKey[]): number | null;
}

/** yaml's messages end in " at line 3, column 5:" and a code excerpt; the line travels separately. */
function yamlMessage(message: string): string {
  const firstLine = message.split('\n', 1)[0] ?? message;
  return firstLine.replace(/ at line \d+, column \d+:?$/, '');
}

/** Parses YAML text; syntax errors (duplicate keys included) throw a ConfigError naming the file and line. */
export function readYamlSource({ text, file }: ConfigText): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => ({
        file,
        line: error.linePos?.[0].line ?? null,
        path: '',
        message: `invalid YAML: ${yamlMessage(error.message)}`,
      })),
    );
  }
  let data: unknown;
  try {
    // The alias limit stops a "billion laughs" file from expanding without bound.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ file, line: null, path: '', message: `invalid YAML: ${yamlMessage(message)}` }]);
  }
  return { file, data, lineOf: (path) => lineOfPath(doc, lineCounter, path) };
}

function startOf(node: unknown): number | null {
  return isNode(node) && node.range ? node.range[0] : null;
}

/**
 * Walks the document's nodes along `path`. A map entry is located by its key (for a nested block the key's line is
 * where the reader looks), a list item by the item itself; where the path leaves the file, the last node found
 * stands in (a missing field is reported on the line of the entry that lacks it).
 */
function lineOfPath(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number | null {
  let node: unknown = doc.contents;
  let offset = startOf(node);
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      offset = startOf(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      offset = startOf(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === null ? null : lineCounter.linePos(offset).line;
}
