import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_ASK_LENGTH } from '../bridge/messages.js';
import type { PanelMessages } from '../i18n/panel-messages.js';

/** One suggestion in the question combobox. */
export interface Suggestion {
  id: string;
  title: string;
}

/** Props of {@link QuestionBox}. */
export interface QuestionBoxProps {
  messages: PanelMessages;
  /** Suggestions for the text typed so far (called debounced). */
  suggest(text: string): Suggestion[];
  onSubmit(text: string): void;
  /** Called with the picked suggestion, its position, and the text typed so far. */
  onPick(suggestion: Suggestion, rank: number, typed: string): void;
  /** Bumped by the app to move focus into the field. */
  focusSignal: number;
}

// Long enough to skip the work while someone types fast, short enough to feel instant (< 100 ms
// perceived response, Nielsen); one decision costs about a millisecond.
const debounceMs = 90;

/**
 * The question field: an ARIA 1.2 combobox with a listbox of suggestions (arrow keys move, Enter
 * picks or asks, Escape closes the list).
 */
export function QuestionBox({
  messages,
  suggest,
  onSubmit,
  onPick,
  focusSignal,
}: QuestionBoxProps) {
  const [value, setValue] = useState('');
  const [options, setOptions] = useState<Suggestion[]>([]);
  // The highlighted option by id: when the list is renewed, the same suggestion stays highlighted
  // if it is still listed (an arrow key pressed just after typing is not lost), else none is.
  const [activeId, setActiveId] = useState<string>();
  const indexOf = (id: string | undefined) => options.findIndex((o) => o.id === id);
  const active = indexOf(activeId);
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (focusSignal > 0) input.current?.focus();
  }, [focusSignal]);

  useEffect(() => {
    const text = value.trim();
    if (text.length < 3) {
      setOptions([]);
      setOpen(false);
      return;
    }
    const timer = setTimeout(() => {
      const next = suggest(text);
      setOptions(next);
      setOpen(next.length > 0);
    }, debounceMs);
    return () => clearTimeout(timer);
  }, [value, suggest]);

  const reset = () => {
    setValue('');
    setOptions([]);
    setOpen(false);
    setActiveId(undefined);
  };
  const pick = (index: number) => {
    const option = options[index];
    if (!option) return;
    const typed = value.trim();
    reset();
    onPick(option, index, typed);
  };
  const submit = (event: Event) => {
    event.preventDefault();
    if (open && active >= 0) return pick(active);
    const text = value.trim();
    if (!text) return;
    reset();
    onSubmit(text);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const count = options.length;
    if (event.key === 'ArrowDown' && count > 0) {
      event.preventDefault();
      setOpen(true);
      setActiveId((id) => options[(indexOf(id) + 1) % count]!.id);
    } else if (event.key === 'ArrowUp' && count > 0) {
      event.preventDefault();
      setOpen(true);
      setActiveId((id) => {
        const i = indexOf(id);
        return options[i <= 0 ? count - 1 : i - 1]!.id;
      });
    } else if (event.key === 'Escape' && open) {
      // Closes the list only; a second Escape closes the panel.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      setActiveId(undefined);
    }
  };

  return (
    <form class="ask" onSubmit={submit}>
      <label for="lotse-q">{messages.question}</label>
      <div class="row">
        <div class="combo">
          <input
            ref={input}
            id="lotse-q"
            type="text"
            role="combobox"
            autocomplete="off"
            enterKeyHint="send"
            maxLength={MAX_ASK_LENGTH}
            aria-autocomplete="list"
            aria-expanded={open}
            aria-controls="lotse-list"
            aria-describedby="lotse-q-hint"
            aria-activedescendant={open && active >= 0 ? `lotse-opt-${active}` : undefined}
            value={value}
            onInput={(event) => {
              // Typing on leaves the list: Enter asks what was typed, not an option of the old list.
              setActiveId(undefined);
              setValue(event.currentTarget.value);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setOpen(false)}
          />
          <div id="lotse-list" role="listbox" aria-label={messages.suggestions} hidden={!open}>
            {options.map((option, i) => (
              // biome-ignore lint/a11y: options are never focused; the combobox handles their keys
              <div
                key={option.id}
                id={`lotse-opt-${i}`}
                role="option"
                aria-selected={i === active}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => pick(i)}
              >
                {option.title}
              </div>
            ))}
          </div>
        </div>
        <button type="submit" class="primary">
          {messages.ask}
        </button>
      </div>
      <p id="lotse-q-hint" class="sr-only">
        {messages.questionHint}
      </p>
    </form>
  );
}
