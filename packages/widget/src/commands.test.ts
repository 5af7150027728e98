// Type-level checks of `window.Lotse` (checked by `pnpm test:types`, which includes the tests).
import type { EventType } from '@lotse/sdk';
import { describe, expectTypeOf, it } from 'vitest';
import type { LotseFunction } from './commands.js';

// Only the types matter: the callbacks never run.
const Lotse = (() => undefined) as unknown as LotseFunction;

describe('LotseFunction', () => {
  it('types the documented listeners: open, close, every event, one analytics event', () => {
    expectTypeOf(Lotse('on', 'open', ({ trigger }) => trigger)).toEqualTypeOf<() => void>();
    Lotse('on', 'event', ({ name }) => expectTypeOf(name).toEqualTypeOf<EventType>());
    Lotse('on', 'answer.rated', (props) => {
      expectTypeOf(props.helpful).toEqualTypeOf<boolean>();
      expectTypeOf(props.entryId).toEqualTypeOf<string>();
    });
    // Free text stays in the panel: `query.unanswered` reaches the host without its `text`.
    Lotse('on', 'query.unanswered', (props) => {
      expectTypeOf(props).not.toHaveProperty('text');
    });
    // @ts-expect-error: not an event the widget emits
    Lotse('on', 'answer.clicked', () => {});
    expectTypeOf(Lotse('open')).toEqualTypeOf<undefined>();
    // @ts-expect-error: `ask` takes the question
    Lotse('ask');
  });
});
