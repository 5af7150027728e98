import { describe, expect, it } from 'vitest';
import { nextContactChanges } from './derived-rows.js';
import type { Row } from './rows.js';

/** A row of NEXT_CONTACT_COLUMNS with nothing stored yet. */
const row = (
  sessionId: string,
  contact: string,
  topic: string | null,
  level: number | null,
  channel: string,
  startedAt: number,
  stored: (number | null)[] = [null, null, null, null],
): Row => ({
  session_id: sessionId,
  seq: 0,
  contact,
  topic,
  level,
  channel,
  started_at: startedAt,
  next_topic_at: stored[0],
  next_level_at: stored[1],
  next_channel_at: stored[2],
  next_level_channel_at: stored[3],
});

describe('nextContactChanges', () => {
  it('finds the next strictly later conversation per contact, topic, level and channel', () => {
    const changes = nextContactChanges([
      row('a', 'x', 'returns', 1, 'widget', 100),
      row('b', 'x', 'returns', 2, 'email', 200),
      row('c', 'x', 'returns', 1, 'email', 300),
      row('d', 'x', 'shipping', 1, 'widget', 150),
      row('e', 'y', 'returns', 1, 'widget', 250),
      row('f', 'x', null, null, 'widget', 120),
      row('g', 'x', null, null, 'widget', 130),
    ]);
    const of = (id: string) => changes.find((c) => c.sessionId === id);
    expect(of('a')).toEqual({
      sessionId: 'a',
      seq: 0,
      topic: 200,
      level: 300,
      channel: null,
      levelChannel: null,
    });
    expect(of('b')).toMatchObject({ topic: 300, level: null, channel: 300, levelChannel: null });
    expect(of('f')).toMatchObject({ topic: 130, level: 130, channel: 130, levelChannel: 130 });
    // Nothing later: the stored nulls are right already.
    expect(of('c')).toBeUndefined();
    expect(of('d')).toBeUndefined();
    expect(of('e')).toBeUndefined();
  });

  it('skips ties and returns only conversations whose stored values differ', () => {
    const changes = nextContactChanges([
      row('a', 'x', 't', 1, 'widget', 100, [200, 200, 200, 200]),
      row('b', 'x', 't', 1, 'widget', 100),
      row('c', 'x', 't', 1, 'widget', 200),
    ]);
    expect(changes).toEqual([
      { sessionId: 'b', seq: 0, topic: 200, level: 200, channel: 200, levelChannel: 200 },
    ]);
  });
});
