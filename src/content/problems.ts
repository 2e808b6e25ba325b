/** One problem in the content, pinned to a file, a line and a field. */
export interface ContentProblem {
  file: string;
  line: number;
  field: string;
  message: string;
}

export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the study content:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ContentError';
  }
}

export function formatProblem(p: ContentProblem): string {
  return `${p.file}:${p.line}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}
