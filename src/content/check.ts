import { checkContent, formatProblem } from './loader.js';
import { formatWarning, renderingWarnings } from './rendering.js';

/**
 * `npm run content:check`: validates the content folder and prints a summary or every problem,
 * then any Markdown that will not render well on a platform (warnings, which do not fail it).
 */
export function runContentCheck(dir: string, out: (line: string) => void = console.log): number {
  const { content, problems } = checkContent(dir);
  const warnings = renderingWarnings(dir);
  const warn = () => {
    if (!warnings.length) return;
    out('');
    for (const w of warnings) out(formatWarning(w));
    out(
      `⚠ ${warnings.length} rendering warning${warnings.length === 1 ? '' : 's'}: Markdown that will not read well on Discord, Slack or in the terminal`,
    );
  };
  if (problems.length || !content) {
    for (const p of problems) out(formatProblem(p));
    warn();
    out(`\n✗ ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${dir}`);
    return 1;
  }
  const examples = content.lessons.reduce((n, l) => n + l.examples.length, 0);
  out(
    `✓ content OK: ${content.tracks.length} tracks, ${content.lessons.length} lessons (${examples} runnable examples), ` +
      `${content.questionById.size} quiz questions, ${content.cardById.size} flashcards, ${content.challengeById.size} challenges`,
  );
  for (const t of content.tracks) {
    const count = <T extends { track: string }>(items: Iterable<T>) => [...items].filter((i) => i.track === t.id).length;
    out(
      `  ${t.id.padEnd(14)} ${String(count(content.lessons)).padStart(3)} lessons ${String(count(content.questionById.values())).padStart(4)} questions ` +
        `${String(count(content.cardById.values())).padStart(4)} cards ${String(count(content.challengeById.values())).padStart(3)} challenges`,
    );
  }
  warn();
  return 0;
}
