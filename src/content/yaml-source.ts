import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import type { ContentProblem } from './problems.js';

export type Path = (string | number)[];

function fieldName(p: Path): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');
}

/** A YAML document with what is needed to point at lines inside it. */
export class YamlSource {
  readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    source: string,
    /** Lines before the YAML text in its file (front matter starts after the opening ---). */
    private readonly lineOffset = 0,
  ) {
    this.doc = parseDocument(source, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  lineAt(offset: number): number {
    return this.lines.linePos(offset).line + this.lineOffset;
  }

  /** Line of the node at `p`, or of its nearest existing ancestor when the field is missing. */
  lineOf(p: Path, key?: string): number {
    for (let n = p.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : (this.doc.getIn(p.slice(0, n), true) as Node | undefined);
      if (!node || typeof node !== 'object' || !('range' in node) || !node.range) continue;
      if (key && n === p.length && isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && it.key.value === key);
        if (pair && isScalar(pair.key) && pair.key.range) return this.lineAt(pair.key.range[0]);
      }
      return this.lineAt(node.range[0]);
    }
    return 1 + this.lineOffset;
  }

  syntaxProblems(): ContentProblem[] {
    return this.doc.errors.map((e) => ({
      file: this.file,
      line: this.lineAt(e.pos[0]),
      field: '',
      message: `YAML syntax: ${e.message.split('\n')[0]}`,
    }));
  }

  /** Validates against `schema`, turning every zod issue into a problem with its line. */
  parse<S extends z.ZodType>(schema: S, problems: ContentProblem[]): z.output<S> | undefined {
    const syntax = this.syntaxProblems();
    if (syntax.length) {
      problems.push(...syntax);
      return undefined;
    }
    const data: unknown = this.doc.toJS();
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const p = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          problems.push({
            file: this.file,
            line: this.lineOf(p, key),
            field: fieldName([...p, key]),
            message: 'unknown field (check the spelling against content/README.md)',
          });
        }
        continue;
      }
      const missing = issue.code === 'invalid_type' && valueAt(data, p) === undefined;
      problems.push({
        file: this.file,
        line: this.lineOf(p),
        field: fieldName(p),
        message: missing ? `missing: ${issue.message}` : issue.message,
      });
    }
    return undefined;
  }
}

function valueAt(data: unknown, p: Path): unknown {
  let v = data;
  for (const k of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}
