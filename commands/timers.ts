import { withWorkspaceContent } from '../src/learning/decks.js';
import type { TimerJob } from '../src/schedule/timers.js';
import type { Services } from '../src/services.js';
import { refreshPinnedBoards } from './leaderboard.js';
import { refreshPost, revealStandalone } from './quiz.js';
import { askNext, refreshRoundCount, revealRoundQuestion, tickRound } from './round.js';

/**
 * What each timer does when its time comes (src/schedule/timers.ts decides when): reveal a
 * question, bring a count up to date, the next step of a round, a pinned board's refresh.
 */
export async function handleTimer(shared: Services, job: TimerJob): Promise<void> {
  const s = (name: string) => String(job.data[name] ?? '');
  // Every timer carries its workspace: a question from the workspace's own deck is found there.
  const services = s('ws') ? withWorkspaceContent(shared, s('ws')) : shared;
  switch (job.kind) {
    case 'quiz-close':
      await revealStandalone(services, job.key, { timeUp: true });
      return;
    case 'quiz-refresh':
      await refreshPost(services, job.key);
      return;
    case 'round-ask':
      await askNext(services, s('round'));
      return;
    case 'round-tick':
      await tickRound(services, s('post'));
      return;
    case 'round-refresh':
      await refreshRoundCount(services, job.key);
      return;
    case 'round-reveal':
      await revealRoundQuestion(services, s('round'), s('post'));
      return;
    case 'board-refresh':
      await refreshPinnedBoards(services, s('ws'));
      return;
    default:
      services.logger.warn({ job }, 'a timer of an unknown kind was dropped');
  }
}
