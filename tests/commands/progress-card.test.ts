import { describe, expect, it } from 'vitest';
import { cardTracks } from '../../commands/views/cards.js';
import type { MasteryLabel, TrackMastery } from '../../src/learning/mastery.js';

const track = (id: string, label: MasteryLabel, counts: Partial<Record<MasteryLabel, number>> = {}): TrackMastery => ({
  track: id,
  title: `Track ${id}`,
  score: label === 'new' ? 0 : 0.4,
  label,
  counts: { mastered: 0, solid: 0, shaky: 0, new: 0, ...counts },
});

describe('the tracks a progress card lists', () => {
  it('puts the tracks a learner has started first, in course order, so five untouched ones never hide them', () => {
    const tracks = [
      track('a', 'new'),
      track('b', 'new'),
      track('c', 'new'),
      track('d', 'new'),
      track('e', 'new'),
      track('asyncio', 'shaky', { shaky: 1 }),
      track('f', 'new', { solid: 1, new: 9 }),
      track('g', 'new'),
    ];
    expect(cardTracks(tracks).map((t) => t.title)).toEqual([
      'Track asyncio',
      'Track f',
      'Track a',
      'Track b',
      'Track c',
      'Track d',
      'Track e',
      'Track g',
    ]);
  });

  it('keeps course order when every track is started or none is', () => {
    const none = ['a', 'b', 'c'].map((id) => track(id, 'new'));
    expect(cardTracks(none).map((t) => t.title)).toEqual(['Track a', 'Track b', 'Track c']);
    const all = ['a', 'b', 'c'].map((id) => track(id, 'solid', { solid: 1 }));
    expect(cardTracks(all).map((t) => t.title)).toEqual(['Track a', 'Track b', 'Track c']);
  });
});
