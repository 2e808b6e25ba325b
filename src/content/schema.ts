import { z } from 'zod';

/** Stable, typeable ids: they key learners' progress, so the format is strict. */
export const id = z
  .string({ error: 'expected an id (lowercase letters, digits and single dashes)' })
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected an id of lowercase letters, digits and single dashes, e.g. "asyncio-tasks"')
  .max(64, 'ids are at most 64 characters');

const text = (what: string, max: number) =>
  z
    .string({ error: `expected ${what} (text)` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} is longer than ${max} characters`);

export const trackFile = z.strictObject({
  tracks: z
    .array(
      z.strictObject({
        id,
        title: text('a title', 80),
        description: text('a description', 300),
      }),
    )
    .min(1, 'list at least one track'),
});

export const lessonFrontMatter = z.strictObject({
  id,
  track: id,
  order: z.number({ error: 'expected a positive whole number' }).int('expected a whole number').positive('expected a positive number'),
  title: text('a title', 100),
  summary: text('a summary', 300),
  objectives: z.array(text('an objective', 200)).min(1, 'list at least one objective').max(6, 'list at most 6 objectives'),
  quiz: z.array(id).default([]),
  flashcards: z.array(id).default([]),
  challenge: id.optional(),
  /** Ids this lesson was published under before: channels on an old id carry on from here. */
  replaces: z.array(id).default([]),
  docs: z
    .array(
      z.strictObject({
        title: text('a link title', 120),
        url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
      }),
    )
    .min(1, 'link at least one page of official documentation'),
});

const option = z.strictObject({
  text: text('the option text', 300),
  correct: z.boolean({ error: 'expected true or false' }).optional(),
  why: text('a "why" explaining this option', 600),
});

export const quizFile = z.strictObject({
  track: id,
  questions: z.array(
    z
      .strictObject({
        id,
        difficulty: z.enum(['easy', 'medium', 'hard'], { error: 'expected easy, medium or hard' }),
        question: text('the question', 600),
        code: z.string().optional(),
        options: z.array(option).min(2, 'give at least 2 options').max(5, 'give at most 5 options (buttons must fit)'),
      })
      .superRefine((q, ctx) => {
        const correct = q.options.filter((o) => o.correct === true).length;
        if (correct !== 1) {
          ctx.addIssue({
            code: 'custom',
            path: ['options'],
            message: `exactly one option must have "correct: true" (found ${correct})`,
          });
        }
      }),
  ),
});

export const flashcardFile = z.strictObject({
  track: id,
  cards: z.array(
    z.strictObject({
      id,
      front: text('the front', 500),
      back: text('the back', 1000),
      tags: z.array(z.string().min(1)).default([]),
    }),
  ),
});

const seconds = z.number({ error: 'expected a number of seconds' }).positive('expected more than 0 seconds').max(20, 'at most 20 seconds');

const count = z.number({ error: 'expected a whole number' }).int('expected a whole number').nonnegative('expected 0 or more');

/** A count check: a number means exactly that many; `{min, max}` bounds it (either may be left out). */
const countRange = z
  .union([count, z.strictObject({ min: count.optional(), max: count.optional() })], {
    error: 'expected a number, or {min: ..., max: ...}',
  })
  .transform((v) => (typeof v === 'number' ? { min: v, max: v } : v))
  .refine((r) => r.min !== undefined || r.max !== undefined, 'give min, max or both')
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'min must not be above max');

const probeLabel = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a probe label: letters, digits, _ . : -');
const perLabel = z.record(probeLabel, countRange);

/** Checks measured by the sandbox's supervisor, outside the learner's process (content/README.md). */
const observe = z.strictObject({
  threads: countRange.optional(),
  processes: countRange.optional(),
  started: countRange.optional(),
  calls: perLabel.optional(),
  at_once: perLabel.optional(),
  abandoned: perLabel.optional(),
});

const testCase = z.strictObject({
  name: text('a case name', 100),
  stdin: z.string().optional(),
  call: z.string().min(1).optional(),
  script: z.string().min(1).optional(),
  module: z.string().min(1).optional(),
  expected: z.union([z.string(), z.number(), z.boolean()], { error: 'expected the expected output as text' }).transform(String),
  min_seconds: seconds.optional(),
  max_seconds: seconds.optional(),
  observe: observe.optional(),
  hint: text('a hint', 200).optional(),
});

export const challengeFile = z
  .strictObject({
    id,
    track: id,
    title: text('a title', 100),
    difficulty: z.enum(['easy', 'medium', 'hard'], { error: 'expected easy, medium or hard' }),
    points: z.number().int().positive().max(500).optional(),
    grader: z.enum(['stdio', 'call', 'pytest'], { error: 'expected stdio, call or pytest' }),
    target: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'expected a Python module name such as "inventory"')
      .optional(),
    time_limit: seconds.optional(),
    cases: z.strictObject({
      visible: z.array(testCase).min(1, 'give at least one visible case'),
      hidden: z.array(testCase).min(1, 'give at least one hidden case'),
    }),
  })
  .superRefine((c, ctx) => {
    if (c.grader === 'pytest' && !c.target) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'the pytest grader needs the name of the module under test' });
    }
    for (const kind of ['visible', 'hidden'] as const) {
      c.cases[kind].forEach((tc, i) => {
        const at = (field: string) => ['cases', kind, i, field];
        if (c.grader === 'call' && Boolean(tc.call) === Boolean(tc.script)) {
          ctx.addIssue({ code: 'custom', path: at('call'), message: 'a "call" case needs exactly one of call or script' });
        }
        if (c.grader !== 'call' && (tc.call || tc.script)) {
          ctx.addIssue({
            code: 'custom',
            path: at(tc.call ? 'call' : 'script'),
            message: `call/script belong to the "call" grader, not "${c.grader}"`,
          });
        }
        if (c.grader === 'pytest') {
          if (!tc.module) ctx.addIssue({ code: 'custom', path: at('module'), message: 'a pytest case needs the module source under test' });
          if (tc.expected !== 'pass' && tc.expected !== 'fail') {
            ctx.addIssue({ code: 'custom', path: at('expected'), message: 'a pytest case expects "pass" or "fail"' });
          }
        } else if (tc.module) {
          ctx.addIssue({ code: 'custom', path: at('module'), message: 'module belongs to the pytest grader' });
        }
        if (tc.min_seconds !== undefined && tc.max_seconds !== undefined && tc.min_seconds >= tc.max_seconds) {
          ctx.addIssue({ code: 'custom', path: at('min_seconds'), message: 'min_seconds must be below max_seconds' });
        }
        if (kind === 'visible' && tc.hint !== undefined) {
          ctx.addIssue({ code: 'custom', path: at('hint'), message: 'a hint belongs to a hidden case (a visible case shows its whole result)' });
        }
      });
    }
    if (c.grader === 'pytest') {
      // A suite that only recognises the visible correct module ("fail unless this is the code I
      // saw") would pass every planted bug: a hidden correct module, written differently, makes
      // such a suite fail.
      const visible = new Set(c.cases.visible.map((tc) => tc.module?.trim()));
      const other = c.cases.hidden.some((tc) => tc.expected === 'pass' && !visible.has(tc.module?.trim()));
      if (!other) {
        ctx.addIssue({
          code: 'custom',
          path: ['cases', 'hidden'],
          message: 'a pytest challenge needs a hidden case with a correct module (expected: pass) written differently from the visible ones',
        });
      }
    }
  });

export type TrackFile = z.infer<typeof trackFile>;
export type LessonFrontMatter = z.infer<typeof lessonFrontMatter>;
export type QuizFile = z.infer<typeof quizFile>;
export type FlashcardFile = z.infer<typeof flashcardFile>;
export type ChallengeFile = z.infer<typeof challengeFile>;
