import { z } from 'zod';
import type { RunJobData } from '../runs/contract.js';
import { InvalidJobError } from './errors.js';

const seconds = z.number().positive().max(120);
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

const gradeCase = z.object({
  name: z.string(),
  hidden: z.boolean(),
  stdin: z.string().optional(),
  call: z.string().optional(),
  script: z.string().optional(),
  module: z.string().optional(),
  expected: z.string(),
  minSeconds: z.number().nonnegative().optional(),
  maxSeconds: z.number().positive().optional(),
});

const runJob = z.object({
  kind: z.literal('run'),
  submissionId: z.string().min(1),
  code: z.string(),
  stdin: z.string().default(''),
  timeLimitSeconds: seconds.optional(),
});

const gradeJob = z
  .object({
    kind: z.literal('grade'),
    submissionId: z.string().min(1),
    challengeId: z.string(),
    code: z.string(),
    grader: z.enum(['stdio', 'call', 'pytest']),
    target: z.string().regex(identifier, 'a Python module name').optional(),
    cases: z.array(gradeCase).min(1).max(200),
    timeLimitSeconds: seconds,
  })
  .superRefine((job, ctx) => {
    if (job.grader === 'pytest' && !job.target) ctx.addIssue({ code: 'custom', message: 'pytest jobs need a target', path: ['target'] });
    job.cases.forEach((c, i) => {
      if (job.grader === 'call' && c.call === undefined && c.script === undefined) {
        ctx.addIssue({ code: 'custom', message: 'call cases need `call` or `script`', path: ['cases', i] });
      }
      if (job.grader === 'pytest' && c.module === undefined) {
        ctx.addIssue({ code: 'custom', message: 'pytest cases need `module`', path: ['cases', i] });
      }
    });
  });

const schema = z.discriminatedUnion('kind', [runJob, gradeJob]);

/** Checks a job from the queue before anything is started for it. */
export function parseJob(data: unknown): RunJobData {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'job'}: ${i.message}`);
    throw new InvalidJobError(`invalid run job: ${problems.join('; ')}`);
  }
  return parsed.data;
}
