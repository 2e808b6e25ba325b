import type { Command } from '../src/chat/command.js';
import challenges from './challenges.js';
import config from './config.js';
import flashcards from './flashcards.js';
import help, { setHelpRegistry } from './help.js';
import leaderboard from './leaderboard.js';
import lesson from './lesson.js';
import progress from './progress.js';
import quiz from './quiz.js';
import run from './run.js';
import settings from './settings.js';
import streak from './streak.js';
import submit from './submit.js';

/** Every chat command, in the order /help lists them. Each is defined once, for every platform. */
export const commands: Command[] = [lesson, quiz, flashcards, run, submit, challenges, streak, leaderboard, progress, settings, config, help];

setHelpRegistry(commands);
