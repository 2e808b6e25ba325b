import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GradeResult } from '../../src/contract/code-runs.js';
import { pointsOf } from '../../src/learning/leaderboard.js';
import { getSubmission, insertSubmission, isRefusal, outcomeOf, storeOutcome } from '../../src/runs/submissions.js';
import { addUser, fixtureContent, testDb } from '../support/db.js';

const WS = 'terminal:ws1';

function grade(id: string, passed: boolean): GradeResult {
  return {
    kind: 'grade',
    submissionId: id,
    challengeId: 'add-two',
    passed,
    cases: [{ name: 'one and two', hidden: false, passed, status: passed ? 'ok' : 'wrong', durationMs: 5 }],
    durationMs: 20,
  };
}

describe('a submission gets exactly one stored result', () => {
  it('a duplicate or late completion changes neither the stored result nor the points', () => {
    const { db } = testDb();
    addUser(db, 'ada');
    const stored = insertSubmission(
      db,
      {
        id: randomUUID(),
        ws: WS,
        userId: 'ada',
        channelId: 'general',
        kind: 'grade',
        challengeId: 'add-two',
        code: 'def add(a, b): return a + b\n',
        stdin: null,
        conversation: { platform: 'terminal', workspaceId: 'ws1', channelId: 'general' },
        now: 1000,
      },
      6,
    );
    if (isRefusal(stored)) throw new Error('refused');
    const first = storeOutcome(db, fixtureContent(), stored.id, grade(stored.id, true), 2000, 'UTC');
    expect(first).toMatchObject({ status: 'done', passed: true, pointsAwarded: 20 });
    // The same completion again (a replayed event), and a different one later (a retried job).
    expect(storeOutcome(db, fixtureContent(), stored.id, grade(stored.id, true), 3000, 'UTC')).toBeUndefined();
    expect(storeOutcome(db, fixtureContent(), stored.id, grade(stored.id, false), 4000, 'UTC')).toBeUndefined();
    const now = getSubmission(db, stored.id)!;
    expect(now).toMatchObject({ passed: true, pointsAwarded: 20, finishedAt: 2000 });
    expect(outcomeOf(now)).toMatchObject({ passed: true });
    expect(pointsOf(db, WS, 'ada', 5000, 'UTC').total).toBe(20);
  });
});
