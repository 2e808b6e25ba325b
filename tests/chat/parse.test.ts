import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { parseCommandLine } from '../../src/chat/parse.js';

const parse = (line: string) => parseCommandLine(line, commands);

describe('typed commands', () => {
  it('fills positional options in order and uses default subcommands', () => {
    expect(parse('/lesson')).toMatchObject({ name: 'lesson', path: ['current'], options: {} });
    expect(parse('/lesson show asyncio-tasks')).toMatchObject({ path: ['show'], options: { id: 'asyncio-tasks' } });
    expect(parse('/quiz asyncio')).toMatchObject({ name: 'quiz', path: [], options: { track: 'asyncio' } });
    expect(parse('/flashcards')).toMatchObject({ path: ['review'] });
  });

  it('accepts name:value and name=value, with quotes', () => {
    expect(parse('/config daily time:09:30 timezone=Europe/Rome channel:#study')).toMatchObject({
      path: ['daily', 'set'],
      options: { time: '09:30', timezone: 'Europe/Rome', channel: 'study' },
    });
    expect(parse('/config daily off')).toMatchObject({ path: ['daily', 'off'] });
    expect(parse('/run stdin:"two words" print(input())')).toMatchObject({ options: { stdin: 'two words', code: 'print(input())' } });
  });

  it('takes code from a fenced block, and stdin from a block marked stdin', () => {
    const e = parse('/run ```python\nname = input()\nprint(name)\n```\n```stdin\nAda\n```');
    expect(e.options).toEqual({ code: 'name = input()\nprint(name)', stdin: 'Ada' });
    const s = parse('/submit recursive-factorial ```python\ndef factorial(n): ...\n```');
    expect(s.options).toEqual({ challenge: 'recursive-factorial', code: 'def factorial(n): ...' });
  });

  it('gives the rest of the line to a long option when there is no fence', () => {
    expect(parse('/run print("a: b", 1 == 1)').options).toEqual({ code: 'print("a: b", 1 == 1)' });
  });

  it('maps channel mentions of every platform to ids', () => {
    expect(parse('/config daily off channel:<#C123|general>').options).toEqual({ channel: 'C123' });
    expect(parse('/config daily off channel:<#998877>').options).toEqual({ channel: '998877' });
  });

  it('explains what is wrong', () => {
    expect(() => parse('/flashcard')).toThrow('There is no /flashcard command. Did you mean /flashcards?');
    expect(() => parse('/lesson read x')).toThrow('/lesson has no "read" subcommand.');
    expect(() => parse('/lesson show')).toThrow(/\/lesson show needs id/);
    expect(() => parse('/leaderboard monthly')).toThrow('board must be one of: week, all, streaks (not "monthly").');
    expect(() => parse('/quiz a easy b')).toThrow('/quiz does not take "b".');
    expect(() => parse('/run stdin:"open')).toThrow('A quote (") is never closed.');
  });
});
