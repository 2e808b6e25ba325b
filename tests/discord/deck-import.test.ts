import { describe, expect, test } from 'vitest';
import { shownText } from './fake-discord.js';
import { useDiscord } from './harness.js';

/**
 * `/config import file:<attachment>` on Discord: the fake serves the attachment from its CDN, the
 * bot downloads it once the admin check passed, and the deck's questions are served by /quiz in
 * that server only.
 */
const DECK_CSV = `type,id,difficulty,question,option1,why1,option2,why2,option3,why3,correct,front,back,tags
question,discord-q-intents,medium,Which gateway intent does reading message text need?,MessageContent,It is privileged and must be switched on.,GuildMembers,That one is for member lists.,Guilds,That one is for servers and channels.,1,,,
card,discord-fc-defer,,,,,,,,,,How long may a bot take to acknowledge an interaction?,Three seconds; deferring buys fifteen minutes.,
`;

describe('Discord: /config import', () => {
  const get = useDiscord();

  test('an admin attaches a CSV deck; it is downloaded, imported and served by /quiz on its track', async () => {
    const { fake } = get();
    const sent = fake.slash(fake.users.admin, 'config', {
      path: ['import'],
      options: { file: { file: 'club.csv', data: Buffer.from(DECK_CSV) }, name: 'Bot builders' },
    });
    await fake.callback(sent);
    const reply = fake.original(sent);
    expect(shownText(reply)).toContain('Imported **Bot builders** from club.csv: 1 question and 1 flashcard, for this workspace only.');
    expect(shownText(reply)).toContain('Its track is `bot-builders`');
    expect(fake.fileFetches.filter((p) => p.endsWith('/club.csv'))).toHaveLength(1);

    const quiz = fake.slash(fake.users.ada, 'quiz', { options: { track: 'bot-builders' } });
    await fake.callback(quiz);
    expect(shownText(fake.original(quiz))).toContain('Which gateway intent does reading message text need?');
    expect(shownText(fake.original(quiz))).toContain('Bot builders · medium');
  });

  test('a member is refused before the file is downloaded; a broken file names its line and column', async () => {
    const { fake } = get();
    const before = fake.fileFetches.length;
    const member = fake.slash(fake.users.ada, 'config', { path: ['import'], options: { file: { file: 'mine.csv', data: Buffer.from(DECK_CSV) } } });
    await fake.callback(member);
    expect(shownText(fake.original(member))).toContain('Only members with the Manage Server permission can use /config import.');
    expect(fake.fileFetches.length).toBe(before);

    const broken = DECK_CSV.replace('MessageContent,It is privileged and must be switched on.', 'MessageContent,');
    const sent = fake.slash(fake.users.admin, 'config', { path: ['import'], options: { file: { file: 'broken.csv', data: Buffer.from(broken) } } });
    await fake.callback(sent);
    const text = shownText(fake.original(sent));
    expect(text).toContain('Nothing was imported: broken.csv has 1 problem.');
    expect(text).toContain('broken.csv:2: why1: a "why" explaining this option must not be empty');
    expect(text).toContain('The deck this workspace had is unchanged');

    const quiz = fake.slash(fake.users.bob, 'quiz', { options: { track: 'bot-builders' } });
    await fake.callback(quiz);
    expect(shownText(fake.original(quiz))).toContain('Which gateway intent');
  });

  test('a file with many problems lists the first ones within Discord’s limits, and says how many more', async () => {
    const { fake } = get();
    const rows = Array.from({ length: 40 }, (_, i) => `question,q-${i},impossible,${'Why is this question so long? '.repeat(8)},a,,b,,,,9,,,`);
    const body = [DECK_CSV.split('\n')[0], ...rows].join('\n');
    const sent = fake.slash(fake.users.admin, 'config', { path: ['import'], options: { file: { file: 'many.csv', data: Buffer.from(body) } } });
    await fake.callback(sent);
    const text = shownText(fake.original(sent));
    expect(text).toContain('Nothing was imported: many.csv has 40 problems.');
    expect(text).toContain('many.csv:2: correct: expected the number (1-5) or letter (A-E) of the right option, not "9"');
    expect(text).toContain('…and 25 more');
  });
  test("a deck titled like a link is plain text wherever its title shows: the reply, the quiz's footer, the daily post", async () => {
    const { fake } = get();
    const sent = fake.slash(fake.users.admin, 'config', {
      path: ['import'],
      options: { file: { file: 'club.csv', data: Buffer.from(DECK_CSV) }, name: '[Free Nitro](https://evil.example/login) www.evil.example' },
    });
    await fake.callback(sent);
    const track = /Its track is `([\w-]+)`/.exec(shownText(fake.original(sent)))?.[1];
    expect(track).toBeDefined();
    const quiz = fake.slash(fake.users.ada, 'quiz', { options: { track: track! } });
    await fake.callback(quiz);
    const daily = fake.slash(fake.users.admin, 'config', { path: ['daily', 'set'], options: { time: '09:00', track: track! } });
    await fake.callback(daily);
    for (const shown of [shownText(fake.original(sent)), shownText(fake.original(quiz)), shownText(fake.original(daily))]) {
      expect(shown).toContain('Free Nitro');
      // No masked link (an escaped bracket is text), and no address Discord would make clickable.
      expect(shown).not.toMatch(/(?<!\\)\]\(https?:|https?:\/\/|www\.evil/);
    }
    expect(shownText(fake.original(quiz))).toContain('Which gateway intent does reading message text need?');
  });
});
