import type { Conversation } from '@lotse/sdk';
import { MAX_MESSAGE_LENGTH } from '@lotse/sdk/schema';
import { useEffect, useRef, useState } from 'preact/hooks';
import { conversationMessages } from '../i18n/conversation-messages.js';
import type { PanelMessages } from '../i18n/panel-messages.js';
import type { WidgetLocale } from '../i18n/resolve-locale.js';
import { RatingGroup } from './rating-group.js';

type SurveyStage = 'csat' | 'ces' | 'nps' | 'done';

/** Props of {@link ConversationView}. */
export interface ConversationViewProps {
  messages: PanelMessages;
  locale: WidgetLocale;
  ticketId: string;
  /** `undefined` while loading. */
  conversation: Conversation | undefined;
  failed: boolean;
  /** Whether the visitor already answered (or skipped) this conversation's CSAT question. */
  rated: boolean;
  /** Whether the NPS rule allows the question now. */
  askNps: boolean;
  onBack(): void;
  /** Sends a reply; resolves `false` when it failed. */
  onReply(text: string): Promise<boolean>;
  onReopen(): Promise<boolean>;
  onCsat(score: number): void;
  onCes(score: number): void;
  onNps(score: number): void;
  /** The NPS question is on screen (the rule counts from here). */
  onNpsShown(): void;
}

/**
 * One conversation with the team: its messages (text only) in a log, a reply box while it is open,
 * and once closed the reopen button and the surveys (CSAT, optional CES, NPS by rule).
 */
export function ConversationView(props: ConversationViewProps) {
  const t = { ...props.messages, ...conversationMessages[props.locale] };
  const { conversation } = props;
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(false);
  const [stage, setStage] = useState<SurveyStage>('csat');
  const heading = useRef<HTMLHeadingElement>(null);
  const view = useRef<HTMLElement>(null);
  const npsShown = useRef(false);
  // Counts the steps that replace the control in use (a survey sent, the conversation reopened):
  // focus then moves to the next control, the reply box or survey, else the heading.
  const [moved, setMoved] = useState(0);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (moved)
      (view.current?.querySelector<HTMLElement>('textarea,input') ?? heading.current)?.focus();
  }, [moved]);
  useEffect(() => {
    if (stage === 'nps' && !npsShown.current) {
      npsShown.current = true;
      props.onNpsShown();
    }
  }, [stage, props.onNpsShown]);

  const run = async (action: () => Promise<boolean>) => {
    if (busy) return false;
    setBusy(true);
    const ok = await action().catch(() => false);
    setBusy(false);
    setError(!ok);
    return ok;
  };
  const go = (next: SurveyStage) => {
    setStage(next);
    setMoved((n) => n + 1);
  };
  const afterCes = () => go(props.askNps ? 'nps' : 'done');
  const title = t.conversation.replace('{ticket}', props.ticketId);
  const closed = conversation?.status === 'closed';

  return (
    <section class="conversation" aria-labelledby="lotse-conversation-title" ref={view}>
      <button type="button" class="link" onClick={props.onBack}>
        {t.back}
      </button>
      <h2 id="lotse-conversation-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <div class="log" role="log" aria-live="polite" aria-label={title}>
        {props.failed ? <p class="msg bot">{t.conversationFailed}</p> : null}
        {!conversation && !props.failed ? <p class="msg bot">{t.loading}</p> : null}
        {conversation?.messages.map((message) => (
          <div key={message.id} class={`msg ${message.from === 'agent' ? 'bot' : 'visitor'}`}>
            <span class="sr-only">{message.from === 'agent' ? t.agent : t.you}: </span>
            <p>{message.text}</p>
          </div>
        ))}
      </div>
      {error ? (
        <p class="error" role="alert">
          {t.sendFailed}
        </p>
      ) : null}
      {conversation && !closed ? (
        <form
          class="handoff"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const reply = text.trim();
            if (!reply) return;
            void run(() => props.onReply(reply)).then((ok) => ok && setText(''));
          }}
        >
          <label for="lotse-reply">{t.yourReply}</label>
          <textarea
            id="lotse-reply"
            rows={3}
            maxLength={MAX_MESSAGE_LENGTH}
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
          />
          <button type="submit" class="primary" aria-disabled={busy}>
            {busy ? t.sending : t.sendReply}
          </button>
        </form>
      ) : null}
      {closed ? (
        <div class="closed">
          <p>{t.closed}</p>
          <button
            type="button"
            aria-disabled={busy}
            onClick={() => void run(props.onReopen).then((ok) => ok && setMoved((n) => n + 1))}
          >
            {t.reopen}
          </button>
        </div>
      ) : null}
      {closed && !props.rated && stage === 'csat' ? (
        <RatingGroup
          name="csat"
          legend={t.csat}
          min={1}
          max={5}
          low={t.csatLow}
          high={t.csatHigh}
          submitLabel={t.sendRating}
          chooseValue={t.chooseValue}
          onSubmit={(score) => {
            props.onCsat(score);
            go('ces');
          }}
        />
      ) : null}
      {closed && stage === 'ces' ? (
        <RatingGroup
          name="ces"
          legend={t.ces}
          min={1}
          max={7}
          low={t.cesLow}
          high={t.cesHigh}
          submitLabel={t.sendRating}
          chooseValue={t.chooseValue}
          skipLabel={t.skip}
          onSkip={afterCes}
          onSubmit={(score) => {
            props.onCes(score);
            afterCes();
          }}
        />
      ) : null}
      {closed && stage === 'nps' ? (
        <RatingGroup
          name="nps"
          legend={t.nps}
          min={0}
          max={10}
          low={t.npsLow}
          high={t.npsHigh}
          submitLabel={t.sendRating}
          chooseValue={t.chooseValue}
          skipLabel={t.skip}
          onSkip={() => go('done')}
          onSubmit={(score) => {
            props.onNps(score);
            go('done');
          }}
        />
      ) : null}
      {stage === 'done' ? (
        <p class="thanks" role="status">
          {t.thanksRating}
        </p>
      ) : null}
    </section>
  );
}
