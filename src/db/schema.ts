import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * All state lives here. Every row is scoped by `workspace` ("discord:<guild>", "slack:<team>",
 * "terminal:local") so platforms and workspaces never see each other's data. Times are ms since
 * the epoch; calendar days are "YYYY-MM-DD" in the user's time zone at the time of the action.
 */

export const workspaces = sqliteTable('workspaces', {
  id: text('id').primaryKey(),
  timezone: text('timezone'),
  /** Whether streak milestones (7, 30, 100, 365 days) are announced in the channel. */
  milestones: integer('milestones', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
});

export const users = sqliteTable(
  'users',
  {
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    displayName: text('display_name').notNull(),
    timezone: text('timezone'),
    currentStreak: integer('current_streak').notNull().default(0),
    longestStreak: integer('longest_streak').notNull().default(0),
    lastActiveDay: text('last_active_day'),
    /** When the last learning action happened: a zone change cannot make a new day of the same hour. */
    lastActiveAt: integer('last_active_at'),
    /** Streak freezes held (one earned per 7 days of streak, at most 2): each covers one missed day. */
    freezes: integer('freezes').notNull().default(0),
    /** How many items a /review session holds at most (`/settings review`). */
    reviewSize: integer('review_size').notNull().default(15),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.userId] })],
);

/** One row per user per day with any learning action: the history behind streaks. */
export const activityDays = sqliteTable(
  'activity_days',
  {
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    day: text('day').notNull(),
    actions: integer('actions').notNull().default(1),
    /** A missed day a streak freeze covered (no actions; the streak went on). */
    frozen: integer('frozen', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.userId, t.day] })],
);

/**
 * Every point ever awarded. The unique key makes awards idempotent: a question scores once per
 * user, a challenge's first pass scores once, whatever retries or double clicks happen.
 */
export const points = sqliteTable(
  'points',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    amount: integer('amount').notNull(),
    reason: text('reason', { enum: ['quiz', 'challenge', 'flashcards', 'lesson', 'round'] }).notNull(),
    ref: text('ref').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [uniqueIndex('points_once').on(t.workspace, t.userId, t.reason, t.ref), index('points_by_time').on(t.workspace, t.at)],
);

export const lessonReads = sqliteTable(
  'lesson_reads',
  {
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    lessonId: text('lesson_id').notNull(),
    firstReadAt: integer('first_read_at').notNull(),
    lastReadAt: integer('last_read_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.userId, t.lessonId] })],
);

/** A channel's place in the course: what `/lesson` shows and where the daily post continues. */
export const channels = sqliteTable(
  'channels',
  {
    workspace: text('workspace').notNull(),
    channelId: text('channel_id').notNull(),
    currentLessonId: text('current_lesson_id'),
    /** Where that lesson stood (track and order): if it leaves the course, the next one takes over. */
    currentTrack: text('current_track'),
    currentOrder: integer('current_order'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.channelId] })],
);

/** A question posted to a channel; its buttons carry the post id and close at `closesAt`. */
export const quizPosts = sqliteTable(
  'quiz_posts',
  {
    id: text('id').primaryKey(),
    workspace: text('workspace').notNull(),
    channelId: text('channel_id').notNull(),
    questionId: text('question_id').notNull(),
    source: text('source', { enum: ['command', 'daily', 'round', 'review'] }).notNull(),
    createdBy: text('created_by'),
    createdAt: integer('created_at').notNull(),
    closesAt: integer('closes_at').notNull(),
    /**
     * The order the options were shown in, as indexes into the question's options (JSON): every
     * post gets its own, so the buttons, the reveal and the scoring agree, and position tells nothing.
     */
    optionOrder: text('option_order').notNull().default('[]'),
    /** When the post was revealed (its time ran out, or its poster or an admin revealed it). */
    revealedAt: integer('revealed_at'),
    /** A question of a timed round: the round, and which question of it. */
    roundId: text('round_id'),
    roundIndex: integer('round_index'),
  },
  (t) => [index('quiz_posts_by_channel').on(t.workspace, t.channelId, t.createdAt)],
);

export const quizAnswers = sqliteTable(
  'quiz_answers',
  {
    postId: text('post_id').notNull(),
    userId: text('user_id').notNull(),
    workspace: text('workspace').notNull(),
    questionId: text('question_id').notNull(),
    choice: integer('choice').notNull(),
    correct: integer('correct', { mode: 'boolean' }).notNull(),
    scored: integer('scored', { mode: 'boolean' }).notNull(),
    answeredAt: integer('answered_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId] }), index('quiz_answers_by_user').on(t.workspace, t.userId, t.questionId)],
);

/** The FSRS memory state of one card for one user (ts-fsrs Card fields). */
export const cardStates = sqliteTable(
  'card_states',
  {
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    cardId: text('card_id').notNull(),
    due: integer('due').notNull(),
    stability: real('stability').notNull(),
    difficulty: real('difficulty').notNull(),
    elapsedDays: integer('elapsed_days').notNull(),
    scheduledDays: integer('scheduled_days').notNull(),
    learningSteps: integer('learning_steps').notNull(),
    reps: integer('reps').notNull(),
    lapses: integer('lapses').notNull(),
    state: integer('state').notNull(),
    lastReview: integer('last_review'),
    /** The user's local day the card was first reviewed (kept for history). */
    introducedDay: text('introduced_day').notNull(),
    /**
     * When the card was first reviewed: the daily new-card allowance counts introductions since the
     * start of the learner's local day, so changing zone cannot refresh it twice in one real day.
     */
    introducedAt: integer('introduced_at').notNull().default(0),
    /**
     * Why the card is in the learner's next review ahead of the rest, when a mistake put it there
     * (JSON { source: 'quiz' | 'round' | 'challenge', at, questionId?, challengeId? }); cleared when rated.
     */
    boost: text('boost'),
    /** When that mistake happened (the most recent mistakes come first). */
    boostedAt: integer('boosted_at'),
    /** 'course' for the course's cards; 'mistake' for a card a mistake brought in (not counted as a new card of the day). */
    origin: text('origin', { enum: ['course', 'mistake'] })
      .notNull()
      .default('course'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.userId, t.cardId] }), index('card_states_due').on(t.workspace, t.userId, t.due)],
);

export const reviewLogs = sqliteTable(
  'review_logs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    cardId: text('card_id').notNull(),
    rating: integer('rating').notNull(),
    state: integer('state').notNull(),
    due: integer('due').notNull(),
    stability: real('stability').notNull(),
    difficulty: real('difficulty').notNull(),
    scheduledDays: integer('scheduled_days').notNull(),
    learningSteps: integer('learning_steps').notNull(),
    reviewedAt: integer('reviewed_at').notNull(),
    day: text('day').notNull(),
  },
  (t) => [index('review_logs_by_user_day').on(t.workspace, t.userId, t.day)],
);

/** A channel's daily lesson post; mirrored by a BullMQ job scheduler with the same key. */
export const dailyConfigs = sqliteTable(
  'daily_configs',
  {
    workspace: text('workspace').notNull(),
    channelId: text('channel_id').notNull(),
    time: text('time').notNull(),
    timezone: text('timezone').notNull(),
    track: text('track'),
    /** What follows the last lesson of `track`: the next track, the same track again, or nothing. */
    afterTrack: text('after_track', { enum: ['next', 'restart', 'stop'] })
      .notNull()
      .default('next'),
    /** Set when a track ended with `afterTrack` "stop": no more posts until reconfigured. */
    finishedAt: integer('finished_at'),
    createdBy: text('created_by').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** The local day (in `timezone`) whose post was delivered last: each day is posted once. */
    lastPostDay: text('last_post_day'),
    lastPostAt: integer('last_post_at'),
    /** Why the last attempt failed or a day was skipped, for /config daily show. */
    lastError: text('last_error'),
    lastErrorAt: integer('last_error_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.channelId] })],
);

/** Code sent for a run or a challenge, and its result once a runner returns it. */
export const submissions = sqliteTable(
  'submissions',
  {
    id: text('id').primaryKey(),
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    channelId: text('channel_id').notNull(),
    kind: text('kind', { enum: ['run', 'grade', 'check'] }).notNull(),
    challengeId: text('challenge_id'),
    code: text('code').notNull(),
    stdin: text('stdin'),
    status: text('status', { enum: ['queued', 'done', 'failed'] }).notNull(),
    /** JSON of the RunJobResult, or of { error } when the run could not happen. */
    result: text('result'),
    passed: integer('passed', { mode: 'boolean' }),
    /** What a first pass earned, kept with the result so a post after a restart still says it. */
    pointsAwarded: integer('points_awarded').notNull().default(0),
    streakDays: integer('streak_days'),
    /** JSON Conversation to post the result to. */
    conversation: text('conversation').notNull(),
    createdAt: integer('created_at').notNull(),
    finishedAt: integer('finished_at'),
    deliveredAt: integer('delivered_at'),
  },
  (t) => [
    index('submissions_by_user').on(t.workspace, t.userId, t.createdAt),
    /** Run limits count per person across every server of a platform. */
    index('submissions_by_person').on(t.userId, t.createdAt),
    index('submissions_pending').on(t.status).where(sql`status = 'queued'`),
  ],
);

/**
 * Each learner's place on the boards, kept up to date in the transaction that awards points or
 * records activity, so no board ever sums the point log: all-time points, this week's points (the
 * week that began at `weekOf`, Monday 00:00 in the workspace's zone), and the streak while it is
 * alive (`streakLive`, which is 0 once `streakUntil` has passed without activity).
 */
export const standings = sqliteTable(
  'standings',
  {
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    pointsAll: integer('points_all').notNull().default(0),
    weekOf: integer('week_of').notNull().default(0),
    pointsWeek: integer('points_week').notNull().default(0),
    streakLive: integer('streak_live').notNull().default(0),
    streakUntil: integer('streak_until').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.userId] }),
    index('standings_all').on(t.workspace, t.pointsAll, t.userId),
    index('standings_week').on(t.workspace, t.weekOf, t.pointsWeek, t.userId),
    index('standings_streak').on(t.workspace, t.streakLive, t.userId),
    index('standings_streak_expiry').on(t.workspace, t.streakUntil).where(sql`streak_live > 0`),
  ],
);

/**
 * How many learners hold each score on each board, at three granularities (the score itself, 64
 * scores, 4,096 scores), so "how many are ahead of me" is a sum of at most 3 × 64 rows whatever the
 * number of learners. `board` is "<workspace>|all", "<workspace>|week|<weekOf>" or "<workspace>|streak".
 */
export const boardCounts = sqliteTable(
  'board_counts',
  {
    board: text('board').notNull(),
    level: integer('level').notNull(),
    slot: integer('slot').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.board, t.level, t.slot] })],
);

/**
 * Workspaces whose boards must be rebuilt from the point log at the next start: filled by the
 * migration that introduced the boards' tables, for databases that already had points.
 */
export const boardsPending = sqliteTable('boards_pending', {
  workspace: text('workspace').primaryKey(),
});

/**
 * A flashcard review the bot opened for one learner: its scope (a track, a lesson, or the whole
 * course), the card it is showing (the only card its buttons may reveal or rate), and the cards
 * rated Again in it, which come back before it ends.
 */
export const flashcardSessions = sqliteTable(
  'flashcard_sessions',
  {
    id: text('id').primaryKey(),
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    track: text('track'),
    lessonId: text('lesson_id'),
    cardId: text('card_id'),
    cardReps: integer('card_reps').notNull().default(0),
    /** JSON list of card ids rated Again in this session, oldest first. */
    again: text('again').notNull().default('[]'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('flashcard_sessions_by_user').on(t.workspace, t.userId, t.updatedAt)],
);

/** Where live messages went (see Message.live): the platform's reference, to edit them later. */
export const liveMessages = sqliteTable('live_messages', {
  key: text('key').primaryKey(),
  /** JSON PostedMessage. */
  posted: text('posted').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * A timed quiz round in a channel: one question at a time, answers by button, a reveal after each,
 * standings every few questions and a podium at the end. Its state lives here and its ticks are
 * delayed jobs, so a restart mid-round carries on where it was.
 */
export const rounds = sqliteTable(
  'rounds',
  {
    id: text('id').primaryKey(),
    workspace: text('workspace').notNull(),
    channelId: text('channel_id').notNull(),
    startedBy: text('started_by').notNull(),
    track: text('track'),
    difficulty: text('difficulty', { enum: ['easy', 'medium', 'hard'] }),
    questions: integer('questions').notNull(),
    seconds: integer('seconds').notNull(),
    /** The question now on (0-based), and its post. */
    index: integer('index').notNull().default(0),
    postId: text('post_id'),
    state: text('state', { enum: ['asking', 'between', 'done', 'stopped'] }).notNull(),
    /** JSON list of the question ids asked so far. */
    asked: text('asked').notNull().default('[]'),
    startedAt: integer('started_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('rounds_by_channel').on(t.workspace, t.channelId, t.state)],
);

/** A board message the bot keeps editing as points change (`/leaderboard … pin`). */
export const pinnedBoards = sqliteTable(
  'pinned_boards',
  {
    workspace: text('workspace').notNull(),
    channelId: text('channel_id').notNull(),
    board: text('board', { enum: ['week', 'all', 'streaks'] }).notNull(),
    pinnedBy: text('pinned_by').notNull(),
    createdAt: integer('created_at').notNull(),
    /** What the message shows now (the standings), so an edit is made only when they change. */
    shown: text('shown').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.channelId, t.board] })],
);

/** The learner's latest wrong answer to a question: the card made from it shows what they chose. */
export const mistakes = sqliteTable(
  'mistakes',
  {
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    questionId: text('question_id').notNull(),
    /** The option chosen, as an index into the question's options. */
    choice: integer('choice').notNull(),
    source: text('source', { enum: ['quiz', 'round', 'review'] }).notNull(),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.userId, t.questionId] })],
);

/** A failed challenge to try again, on a spaced schedule, until it is passed. */
export const challengeRetries = sqliteTable(
  'challenge_retries',
  {
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    challengeId: text('challenge_id').notNull(),
    /** How many failures in a row (the interval grows with it). */
    step: integer('step').notNull(),
    dueAt: integer('due_at').notNull(),
    failedAt: integer('failed_at').notNull(),
    passedAt: integer('passed_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.userId, t.challengeId] })],
);

/** Mastery of one lesson for one learner (0..1), as of their last activity on it. */
export const lessonMastery = sqliteTable(
  'lesson_mastery',
  {
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    lessonId: text('lesson_id').notNull(),
    score: real('score').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.userId, t.lessonId] })],
);

/**
 * The sum of a learner's lesson mastery (the mastery board) and where it stood when this week began
 * (the most improved board).
 */
export const masteryTotals = sqliteTable(
  'mastery_totals',
  {
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    total: real('total').notNull(),
    weekOf: integer('week_of').notNull(),
    weekStartTotal: real('week_start_total').notNull(),
    /** total − weekStartTotal, kept for the most improved board of week `weekOf`. */
    gain: real('gain').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.userId] }),
    index('mastery_totals_by_total').on(t.workspace, t.total),
    index('mastery_totals_by_gain').on(t.workspace, t.weekOf, t.gain),
  ],
);

/**
 * A /review session: the items planned when it began (cards, questions from shaky lessons, a
 * challenge retry), the one on screen, and mastery when it began, for the summary at the end.
 */
export const reviewSessions = sqliteTable(
  'review_sessions',
  {
    id: text('id').primaryKey(),
    workspace: text('workspace').notNull(),
    userId: text('user_id').notNull(),
    /** JSON list of { kind: 'card' | 'question' | 'challenge', id, post? }. */
    items: text('items').notNull(),
    /** The item on screen, and the step within it (a card's review count; a question's post). */
    position: integer('position').notNull().default(0),
    /** JSON { lessonId: score } when the session began. */
    before: text('before').notNull(),
    startedAt: integer('started_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [index('review_sessions_by_user').on(t.workspace, t.userId, t.updatedAt)],
);

/**
 * A workspace's own deck (`/config import`): questions and flashcards its admins imported, served
 * as a track of its own in that workspace only. One per workspace; importing again replaces it.
 */
export const decks = sqliteTable('decks', {
  workspace: text('workspace').primaryKey(),
  /** The track id learners name it by (`/quiz group`). */
  trackId: text('track_id').notNull(),
  title: text('title').notNull(),
  fileName: text('file_name').notNull(),
  /** JSON { questions, cards }: the checked items, with the ids as the file gave them. */
  items: text('items').notNull(),
  questions: integer('questions').notNull(),
  cards: integer('cards').notNull(),
  importedBy: text('imported_by').notNull(),
  importedAt: integer('imported_at').notNull(),
  /** Goes up with every import, so views built from an older one are rebuilt. */
  revision: integer('revision').notNull().default(1),
});
