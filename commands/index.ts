import type { Command } from '../src/chat/command.js';
import type { Services } from '../src/services.js';
import challenges from './challenges.js';
import check from './check.js';
import config from './config.js';
import flashcards from './flashcards.js';
import { helpCommand } from './help.js';
import leaderboard from './leaderboard.js';
import lesson from './lesson.js';
import progress from './progress.js';
import quiz from './quiz.js';
import review from './review.js';
import round from './round.js';
import run from './run.js';
import settings from './settings.js';
import streak from './streak.js';
import submit from './submit.js';

export { postDailyLesson } from './daily-post.js';
export { boardsChanged } from './leaderboard.js';
export { announceMilestone } from './milestones.js';
export { handleTimer } from './timers.js';

/** Every chat command, in the order /help lists them. Each is defined once, for every platform. */
export const commands: readonly Command<Services>[] = [
  lesson,
  quiz,
  round,
  flashcards,
  review,
  run,
  check,
  submit,
  challenges,
  streak,
  leaderboard,
  progress,
  settings,
  config,
  helpCommand(() => commands),
];
