import { splitWorkspaceKey, type Conversation } from '../src/chat/context.js';
import { advanceChannel } from '../src/learning/lessons.js';
import type { DailyConfig } from '../src/schedule/daily.js';
import type { Services } from '../src/services.js';
import { renderLessonPage } from './lesson.js';
import { postQuestion } from './quiz.js';

/**
 * What a channel's daily post is: its next lesson (of its track, when it walks one) and a question
 * on it for the channel. Called by the daily scheduler (src/schedule/daily.ts) and `/config daily now`.
 */
export async function postDailyLesson(services: Services, cfg: DailyConfig): Promise<void> {
  const { db, content, clock, outbox } = services;
  const now = clock.now();
  const ws = cfg.workspace;
  const advance = advanceChannel(db, content, ws, cfg.channelId, now, cfg.track ?? undefined);
  const lesson = advance.lesson;
  const to: Conversation = { ...splitWorkspaceKey(ws), channelId: cfg.channelId };
  const finished = advance.finishedTrack ? content.trackById.get(advance.finishedTrack)?.title : undefined;
  const intro = `📅 **Today's lesson**${finished ? ` — you finished *${finished}*${advance.wrapped ? ' and the whole course, so we start over' : ''}! 🎉` : ''}`;
  await outbox.deliver(to, renderLessonPage(content, lesson, 0, intro));
  const question = postQuestion(
    services,
    { ws, now, channelId: cfg.channelId },
    { source: 'daily', ...(lesson.quiz.length ? { lessonId: lesson.id } : { track: lesson.track }) },
  );
  if (question) await outbox.deliver(to, question);
}
