import type { Command } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { privateMessage, text, note } from '../src/chat/reply.js';
import { scope } from '../src/chat/scope.js';
import { AlreadyAnsweredError, answer, createPost, pickQuestion } from '../src/learning/quizzes.js';
import { renderAnswer, renderQuestion } from '../src/learning/render.js';

const LETTERS = 'ABCDE';

export default {
  name: 'quiz',
  description: 'Post a quiz question to the channel, optionally from one track',
  examples: ['/quiz', '/quiz asyncio'],
  options: [{ name: 'track', description: 'Only questions from this track', type: 'string', autocomplete: 'tracks' }],
  async handle(call, ctx, services) {
    const { ws, now } = scope(ctx, services);
    const { content } = services;
    const track = call.options.track === undefined ? undefined : String(call.options.track).trim().toLowerCase();
    if (track && !content.trackById.has(track)) {
      throw new UserError(`There is no track "${track}".`, `Tracks: ${content.tracks.map((t) => t.id).join(', ')}`);
    }
    const question = pickQuestion(services.db, content, ws, ctx.userId, { ...(track && { track }), random: services.random });
    if (!question) throw new UserError(`There are no quiz questions${track ? ` in ${track}` : ''} yet.`);
    const post = createPost(services.db, {
      ws,
      channelId: ctx.channelId,
      questionId: question.id,
      source: 'command',
      createdBy: ctx.userId,
      now,
      openHours: services.config.quizOpenHours,
    });
    return { kind: 'message', message: renderQuestion(content, question, post.id, post.closesAt, now) };
  },
  components: {
    /** quiz:answer:<postId>:<option index> */
    async answer(call, ctx, services) {
      const { ws, now, zone } = scope(ctx, services);
      const [postId = '', choice = ''] = call.args;
      try {
        const outcome = answer(services.db, services.content, { ws, postId, userId: ctx.userId, choice: Number(choice), now, zone });
        return { kind: 'message', message: renderAnswer(services.content, outcome) };
      } catch (err) {
        if (!(err instanceof AlreadyAnsweredError)) throw err;
        return privateMessage([
          text(
            `You already answered this one: you chose **${LETTERS[err.previousChoice]}**, which was ${err.wasCorrect ? 'right ✅' : 'not right ❌'}.`,
          ),
          note('Only your first answer counts. Run /quiz for another question.'),
        ]);
      }
    },
  },
} satisfies Command;
