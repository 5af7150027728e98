import {
  type Conversation,
  type ConversationMessage,
  type EventPropsMap,
  type EventType,
  type HandoffReply,
  isHttpError,
  type LotseClient,
  type TrackOptions,
  uuid,
  type VisitorConversation,
} from '@lotse/sdk';
import {
  ID_PATTERN,
  MAX_MESSAGE_LENGTH,
  MAX_TRANSCRIPT_LINES,
  type TranscriptLine,
} from '@lotse/sdk/schema';
import type { Alternative, AnswerNode, Decision, Triage } from '@lotse/triage';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { HostMessage } from '../bridge/messages.js';
import type { PanelBridge } from '../bridge/panel-bridge.js';
import { afterHoursText, isAfterHours, type SiteHours } from '../follow-up/after-hours.js';
import {
  adoptConversations,
  countUnread,
  forgetSignedIn,
  type KeyValueStorage,
  newestAgentTime,
  readConversations,
  rememberConversation,
  type StoredConversation,
  updateConversation,
} from '../follow-up/conversation-store.js';
import {
  isNpsDue,
  readNpsAskedAt,
  recordNpsAsked,
  resolveNpsInterval,
} from '../follow-up/nps-rule.js';
import { formatResponseTime } from '../i18n/format-response-time.js';
import { panelMessages } from '../i18n/panel-messages.js';
import type { WidgetLocale } from '../i18n/resolve-locale.js';
import { AnswerView } from '../ui/answer-view.js';
import type { HandoffErrors, HandoffValues } from '../ui/handoff-form.js';
import { QuestionBox, type Suggestion } from '../ui/question-box.js';
import type { KbVersionProps } from './kb-version.js';
import type { PanelConfig } from './panel-config.js';
import type { WidgetSettings } from './widget-settings.js';

/** Why a conversation went to a person (the `reason` of `handoff.created`). */
type HandoffReason = NonNullable<EventPropsMap['handoff.created']['reason']>;

interface LogItem {
  id: number;
  from: 'visitor' | 'bot';
  text?: string;
  title?: string;
  answer?: readonly AnswerNode[];
}

interface Shown {
  entryId: string;
  topic?: string;
  alternatives: Alternative[];
}

type Step =
  | { kind: 'ask' }
  | { kind: 'answer'; shown: Shown }
  | { kind: 'suggest'; alternatives: Alternative[] }
  | { kind: 'handoff'; reason: HandoffReason }
  | { kind: 'sent'; text: string; due: string; afterHours: string };

/** Props of {@link App}. */
export interface AppProps {
  config: PanelConfig;
  triage: Promise<Triage>;
  /** The loaded model's knowledge-base version as props of `answer.shown` and `answer.rated`. */
  kbVersion: () => KbVersionProps;
  /** The site's widget settings (widget.json), once known. */
  settings: Promise<WidgetSettings>;
  client: () => LotseClient;
  bridge: PanelBridge | undefined;
  /** Registers the handler for messages from the host. */
  listen(handler: (message: HostMessage) => void): void;
  /** The panel origin's storage, where conversations and the NPS rule are kept. */
  storage: KeyValueStorage | undefined;
}

const maxQuestions = 5;

type LazyChunk = typeof import('./lazy-chunk.js');
let lazyChunk: Promise<LazyChunk> | undefined;
/** Loads the handoff form and the conversation view (one chunk, fetched once and kept). */
const loadLazy = () => {
  lazyChunk ??= import('./lazy-chunk.js');
  lazyChunk.catch(() => {
    lazyChunk = undefined;
  });
  return lazyChunk;
};

/** What the panel knows about one of the visitor's conversations. */
interface Thread {
  stored: StoredConversation;
  conversation?: Conversation | undefined;
  failed?: boolean;
}

/** The panel app: ask, answer, rate, "Did you mean …", and the handoff to a person. */
export function App({
  config,
  triage,
  kbVersion,
  settings,
  client,
  bridge,
  listen,
  storage,
}: AppProps) {
  const [locale, setLocale] = useState<WidgetLocale>(config.locale);
  const [model, setModel] = useState<Triage | undefined>();
  const [failed, setFailed] = useState(false);
  const [log, setLog] = useState<LogItem[]>([]);
  const [step, setStep] = useState<Step>({ kind: 'ask' });
  const [focusSignal, setFocusSignal] = useState(0);
  const [lazyUi, setLazyUi] = useState<LazyChunk | undefined>();
  const [failedLazy, setFailedLazy] = useState(false);
  const lastDecision = useRef<Decision | undefined>(undefined);
  const noInARow = useRef(0);
  // Whether the last answer stood (shown, not rated "No") or the team was reached: only then is a
  // "Danke" a thank-you (before it, "ok" may well mean "yes, a person please").
  const helped = useRef(false);
  const questions = useRef<string[]>([]);
  const transcript = useRef<TranscriptLine[]>([]);
  const nextId = useRef(1);
  const lastSuggestions = useRef<Suggestion[]>([]);
  const alternativesList = useRef<HTMLUListElement>(null);
  const logEnd = useRef<HTMLDivElement>(null);
  const logBox = useRef<HTMLDivElement>(null);
  const confirmation = useRef<HTMLHeadingElement>(null);
  // The request last sent to the team and its idempotency key: sent again unchanged (the server may
  // have stored it and only the answer got lost), it keeps the key and the server answers with the
  // stored ticket; edited, it is a new request with a new key (the server refuses a key reused for
  // other content, and that refusal would repeat at every try).
  const handoffKey = useRef<[request: string, id: string] | undefined>(undefined);
  const t = panelMessages[locale];
  // A signed-in visitor's conversations wait until the server accepts the sign-in again: the person
  // at this device now may be someone else.
  const [threads, setThreads] = useState<Thread[]>(() =>
    readConversations(storage, config.site).flatMap((stored) => (stored.user ? [] : [{ stored }])),
  );
  // The user id last identified, and the signed one the SDK sends with each request: the server files
  // a handoff under that user whether or not the list of their conversations ever arrived.
  const identity = useRef<string | undefined>(undefined);
  const signedIn = useRef<string | undefined>(undefined);
  const [openThread, setOpenThread] = useState<string | undefined>();
  const [hours, setHours] = useState<SiteHours | undefined>();
  const [npsInterval, setNpsInterval] = useState(() => resolveNpsInterval(config.npsIntervalDays));
  const collectUnanswered = useRef(
    settings.then((s) => config.collectUnanswered || s.collectUnanswered),
  );

  useEffect(() => {
    settings.then(
      (s) => {
        setHours(s.hours);
        setNpsInterval(resolveNpsInterval(config.npsIntervalDays, s.npsIntervalDays));
      },
      () => {},
    );
  }, [settings, config.npsIntervalDays]);

  // The launcher's badge follows what the visitor has not seen yet.
  const reportUnread = (list: Thread[]) => {
    const count = list.reduce(
      (sum, th) =>
        sum + (th.conversation ? countUnread(th.conversation.messages, th.stored.seen) : 0),
      0,
    );
    // The ones kept, hidden ones too (a signed-in visitor's): a later sign-out must reach them.
    bridge?.post({
      lotse: 1,
      type: 'unread',
      count,
      conversations: readConversations(storage, config.site).length,
    });
  };
  const setThread = (token: string, patch: Partial<Thread> | undefined) => {
    setThreads((list) => {
      const next = list.flatMap((th) =>
        th.stored.token !== token ? [th] : patch ? [{ ...th, ...patch }] : [],
      );
      reportUnread(next);
      return next;
    });
  };
  const loadThread = async (token: string) => {
    try {
      const conversation = await client().getConversation(token);
      setThread(token, { conversation, failed: false });
    } catch (error) {
      // A token the server no longer knows (deleted on request, retention) is forgotten here too.
      if (isHttpError(error) && error.status === 404) {
        updateConversation(storage, config.site, token, undefined);
        setThread(token, undefined);
      } else {
        setThread(token, { failed: true });
      }
    }
  };
  // The stored list as threads; ones already loaded, or listed with their messages, keep those.
  const showStored = (stored: StoredConversation[], listed: VisitorConversation[] = []) =>
    setThreads((list) => {
      const next = stored.map(
        (s): Thread =>
          list.find((th) => th.stored.token === s.token) ?? {
            stored: s,
            conversation: listed.find((c) => c.conversationToken === s.token),
          },
      );
      reportUnread(next);
      return next;
    });
  // Signed out, or another user: the conversations of the one before are forgotten on this device.
  const signOut = () => {
    signedIn.current = undefined;
    const left = forgetSignedIn(storage, config.site);
    if (left) showStored(left);
  };
  // A signed-in visitor's conversations from other devices join this device's list.
  const followSignedIn = async (userId: string) => {
    let listed: VisitorConversation[];
    try {
      listed = await client().listConversations();
    } catch (error) {
      // Refused (wrong signature, no identity secret): not this user's device to show; offline: later.
      if (isHttpError(error) && error.status < 500 && identity.current === userId) signOut();
      return;
    }
    if (identity.current !== userId) return; // Signed out or someone else meanwhile.
    showStored(adoptConversations(storage, config.site, listed), listed);
  };
  // Once, at mount: the stored conversations and the badge they give.
  useEffect(() => {
    for (const th of threads) void loadThread(th.stored.token);
    if (threads.length === 0) reportUnread([]);
  }, []);
  // Seeing a conversation marks its replies read.
  useEffect(() => {
    const th = threads.find((x) => x.stored.token === openThread);
    if (!th?.conversation) return;
    const seen = newestAgentTime(th.conversation.messages, th.stored.seen);
    if (seen === th.stored.seen) return;
    updateConversation(storage, config.site, th.stored.token, { seen });
    setThread(th.stored.token, { stored: { ...th.stored, seen } });
  });

  const patchConversation = (token: string, change: (c: Conversation) => Conversation) =>
    setThreads((list) => {
      const next = list.map((x) =>
        x.stored.token === token && x.conversation
          ? { ...x, conversation: change(x.conversation) }
          : x,
      );
      reportUnread(next);
      return next;
    });
  // Once per id: the live stream and the reply's answer may both bring a message.
  const addMessage = (token: string, m: ConversationMessage) =>
    patchConversation(token, (c) =>
      c.messages.some((x) => x.id === m.id) ? c : { ...c, messages: [...c.messages, m] },
    );

  // While a conversation is open, the team's replies arrive without reopening it (server-sent
  // events; the view's log announces them to screen readers).
  const open = threads.find((x) => x.stored.token === openThread)?.conversation;
  const loaded = open !== undefined;
  useEffect(() => {
    if (openThread === undefined || !open) return;
    const token = openThread;
    const last = open.messages.at(-1)?.id;
    const sub = client().subscribeConversation(token, {
      ...(last === undefined ? {} : { after: last }),
      onMessage: (m) => addMessage(token, m),
      onStatus: (status) => patchConversation(token, (c) => ({ ...c, status })),
    });
    return () => sub.close();
  }, [openThread, loaded]);

  useEffect(() => {
    triage.then(setModel, () => setFailed(true));
  }, [triage]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    if (model) document.title = model.model.title(locale);
  }, [model, locale]);
  // A long answer is shown from its start; a short one together with what follows (rating, form).
  useEffect(() => {
    const last = logBox.current?.lastElementChild;
    const body = logBox.current?.parentElement;
    if (last instanceof HTMLElement && body && last.offsetHeight > body.clientHeight * 0.6) {
      last.scrollIntoView({ block: 'start' });
    } else {
      logEnd.current?.scrollIntoView({ block: 'nearest' });
    }
  }, [log, step]);
  // A step change removes the button that had focus; put focus where the visitor continues.
  useEffect(() => {
    if (step.kind === 'sent') confirmation.current?.focus();
    if (step.kind === 'suggest') alternativesList.current?.querySelector('button')?.focus();
  }, [step]);

  // The host page hears of each analytics event (free text stays in the panel).
  const forward = (name: EventType, { text: _text, ...props }: Record<string, unknown>) =>
    bridge?.post({ lotse: 1, type: 'event', name, props });
  const track = useCallback(
    <T extends EventType>(type: T, props: EventPropsMap[T], options?: TrackOptions) => {
      client().track(type, props, options);
      forward(type, props);
    },
    [client, bridge],
  );

  // `text`: the line the agent reads in the transcript, when it says more than the log shows.
  const say = (
    from: LogItem['from'],
    item: Omit<LogItem, 'id' | 'from'>,
    text = item.text ?? item.title,
  ) => {
    if (text) {
      transcript.current = [
        ...transcript.current,
        { from, text: text.slice(0, MAX_MESSAGE_LENGTH), ts: Date.now() },
      ].slice(-MAX_TRANSCRIPT_LINES);
    }
    setLog((items) => [...items, { id: nextId.current++, from, ...item }]);
  };

  const showEntry = (
    entry: { id: string; title: string; answer: readonly AnswerNode[] },
    topic: string | undefined,
    level: 1 | 2 | 3,
    alternatives: Alternative[],
  ) => {
    helped.current = true;
    say('bot', { title: entry.title, answer: entry.answer });
    track('answer.shown', {
      entryId: entry.id,
      level,
      ...(topic ? { topic } : {}),
      ...kbVersion(),
    });
    setStep({
      kind: 'answer',
      shown: { entryId: entry.id, ...(topic ? { topic } : {}), alternatives },
    });
  };

  const toHandoff = (reason: HandoffReason) => {
    const intro =
      reason === 'complaint'
        ? t.complaintIntro
        : reason === 'person-button' || reason === 'wants-human'
          ? t.personIntro
          : reason === 'not-helpful'
            ? t.notHelpfulIntro
            : t.handoffIntro;
    say('bot', { text: intro });
    setStep({ kind: 'handoff', reason });
    loadLazy().then(setLazyUi, () => setFailedLazy(true));
  };

  const reportUnanswered = (text: string, decision: Decision) => {
    void collectUnanswered.current.then((on) => {
      if (!on) return;
      track('query.unanswered', {
        text,
        locale: decision.locale,
        ...(decision.topic ? { topic: decision.topic } : {}),
      });
    });
  };

  const ask = async (text: string) => {
    say('visitor', { text });
    // A question prefills the handoff message and starts or continues a conversation.
    const asked = () => {
      questions.current = [...questions.current, text].slice(-maxQuestions);
      track('query.submitted', { locale, channel: 'widget', length: text.length });
    };
    let loaded: Triage;
    try {
      loaded = await triage;
    } catch {
      asked();
      say('bot', { text: t.modelFailed });
      return setStep({ kind: 'ask' });
    }
    const useLocale = loaded.model.locales.includes(locale) ? locale : undefined;
    const decision = loaded.decide(text, useLocale ? { locale: useLocale } : {});
    // A thank-you is no question: it starts no conversation, and a later handoff keeps the
    // question and the decision before it. After help it gets a kind word (an answer keeps its
    // "Did this help?"); before any, "ok" may mean "yes, a person": the person button's form.
    if (decision.kind === 'acknowledge') {
      return helped.current ? say('bot', { text: t.thanksYes }) : toHandoff('person-button');
    }
    asked();
    lastDecision.current = decision;
    track('triage.decided', {
      kind: decision.kind,
      level: decision.level,
      ...(decision.topic ? { topic: decision.topic } : {}),
      ...(decision.entry ? { entryId: decision.entry.id } : {}),
      confidence: decision.confidence,
      signals: decision.signals,
    });
    if (decision.kind === 'answer' && decision.entry) {
      return showEntry(decision.entry, decision.topic, decision.level, decision.alternatives);
    }
    if (decision.kind === 'suggest') {
      reportUnanswered(text, decision);
      if (decision.alternatives.length > 0) {
        // The buttons are not in the log: the agent reads which entries were offered.
        say(
          'bot',
          { text: t.didYouMean },
          `${t.didYouMean} ${decision.alternatives.map((a) => a.title).join(' · ')}`,
        );
        return setStep({ kind: 'suggest', alternatives: decision.alternatives });
      }
      say('bot', { text: t.noAnswer });
      return setStep({ kind: 'ask' });
    }
    const { signals } = decision;
    if (signals.includes('out-of-scope')) reportUnanswered(text, decision);
    toHandoff(
      signals.includes('complaint')
        ? 'complaint'
        : signals.includes('wants-human')
          ? 'wants-human'
          : signals.includes('out-of-scope')
            ? 'out-of-scope'
            : 'level',
    );
  };

  const pick = (
    suggestion: Suggestion,
    rank: number,
    seen: readonly Suggestion[] = lastSuggestions.current,
    typed?: string,
  ) => {
    const entry = model?.model.entry(suggestion.id, locale);
    if (!entry) return;
    // What the visitor typed before picking still prefills the handoff message.
    if (typed) questions.current = [...questions.current, typed].slice(-maxQuestions);
    say('visitor', { text: entry.title });
    track('suggestion.clicked', { entryId: entry.id, rank, topic: entry.topic });
    // The other suggestions the visitor saw are the alternatives if this answer does not help.
    const others = seen.filter((s) => s.id !== entry.id).map((s) => ({ ...s, score: 0 }));
    showEntry(entry, entry.topic, entry.level, others);
    setFocusSignal((n) => n + 1);
  };

  const rate = (shown: Shown, helpful: boolean) => {
    say('visitor', { text: helpful ? t.yes : t.no });
    helped.current = helpful;
    track('answer.rated', {
      entryId: shown.entryId,
      helpful,
      ...(shown.topic ? { topic: shown.topic } : {}),
      ...kbVersion(),
    });
    if (helpful) {
      noInARow.current = 0;
      say('bot', { text: t.thanksYes });
      setStep({ kind: 'ask' });
      return setFocusSignal((n) => n + 1);
    }
    noInARow.current += 1;
    if (noInARow.current >= 2) return toHandoff('not-helpful');
    const alternatives = shown.alternatives.filter((a) => a.id !== shown.entryId);
    if (alternatives.length > 0) {
      say('bot', { text: t.sorryNo });
      return setStep({ kind: 'suggest', alternatives });
    }
    say('bot', { text: t.noAnswer });
    setStep({ kind: 'ask' });
    setFocusSignal((n) => n + 1);
  };

  const send = async (
    values: HandoffValues,
    reason: HandoffReason,
  ): Promise<HandoffErrors | undefined> => {
    const decision = lastDecision.current;
    const extra =
      reason === 'person-button'
        ? t.personReason
        : reason === 'not-helpful'
          ? t.notHelpfulReason
          : undefined;
    const classification = {
      level: decision ? (Math.max(decision.level, 2) as 2 | 3) : 2,
      ...(decision?.topic ? { topic: decision.topic } : {}),
      signals: decision?.signals ?? (reason === 'person-button' ? ['wants-human' as const] : []),
      confidence: decision?.confidence ?? 0,
      reasons: [...(decision?.reasons ?? []), ...(extra ? [extra] : [])]
        .map((r) => r.slice(0, 300))
        .slice(0, 20),
    };
    const input = {
      email: values.email,
      consent: values.consent as true,
      message: values.message,
      transcript: transcript.current,
      classification,
      locale,
    };
    let reply: HandoffReply;
    let user: string | undefined;
    try {
      const lotse = client();
      const handoff = await loadLazy();
      const request = JSON.stringify(input);
      if (handoffKey.current?.[0] !== request) handoffKey.current = [request, uuid()];
      const id = handoffKey.current[1];
      const errors = handoff.validateHandoff({
        ...input,
        id,
        siteKey: config.site,
        anonymousId: lotse.anonymousId,
        sessionId: lotse.sessionId,
      });
      if (errors) return errors;
      // The identity this request goes out with, not the one when (or if) the reply arrives.
      user = signedIn.current;
      reply = await lotse.createHandoff({ ...input, id });
    } catch (error) {
      // Refused as another request under the same key (409): the next try is a new request rather
      // than the same refusal again.
      if (isHttpError(error) && error.status === 409) handoffKey.current = undefined;
      return { form: 'sendFailed' };
    }
    // Sent: the same words later are a new request, not a replay of this (maybe closed) one.
    handoffKey.current = undefined;
    const stored: StoredConversation = {
      token: reply.conversationToken,
      ticketId: reply.ticketId,
      createdAt: Date.now(),
      seen: Date.now(),
      // Sent while signed in, it is the user's (the server files it under them): gone at sign-out.
      ...(user ? { user: true } : {}),
    };
    rememberConversation(storage, config.site, stored);
    setThreads((list) => [
      { stored, conversation: { ticketId: reply.ticketId, status: 'open', messages: [] } },
      ...list.filter((th) => th.stored.token !== stored.token),
    ]);
    track('handoff.created', {
      ticketId: reply.ticketId,
      level: classification.level,
      ...(classification.topic ? { topic: classification.topic } : {}),
      channel: 'widget',
      reason,
    });
    const text = t.sent
      .replace('{ticket}', reply.ticketId)
      .replace('{time}', formatResponseTime(reply.respondWithinMinutes, t));
    const dueDate = new Date(reply.respondBy);
    const due = Number.isNaN(dueDate.getTime())
      ? ''
      : t.sentBy.replace(
          '{date}',
          new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(
            dueDate,
          ),
        );
    const respondBy = dueDate.getTime();
    const afterHours =
      hours?.nextOpening !== undefined && isAfterHours(hours, respondBy)
        ? afterHoursText(locale, hours.nextOpening, Date.now())
        : '';
    helped.current = true;
    setStep({ kind: 'sent', text, due, afterHours });
    noInARow.current = 0;
    return undefined;
  };

  const onMessage = useRef<(message: HostMessage) => void>(() => {});
  onMessage.current = (message) => {
    if (message.type === 'open') {
      track('widget.opened', { channel: 'widget', locale, trigger: message.trigger });
      // The host focuses the frame as it opens, but `open` waits for `ready`: if the visitor (or the
      // site) moved focus back to the page in between, the panel must not take it back.
      if (document.hasFocus()) setFocusSignal((n) => n + 1);
    } else if (message.type === 'ask') {
      setOpenThread(undefined);
      void ask(message.text.trim());
    } else if (message.type === 'consent') {
      client().setConsent(message.state);
    } else if (message.type === 'locale') {
      setLocale(message.locale);
    } else if (message.type === 'identify') {
      const { userId, signature, email } = message.traits;
      // The host drops an id the SDK would refuse; nobody, or another user, signs out first.
      const user = typeof userId === 'string' && ID_PATTERN.test(userId) ? userId : undefined;
      const signed = user && typeof signature === 'string';
      if (signedIn.current ? user !== signedIn.current : !signed) signOut();
      // No client for nobody after nobody: it would be created just to forget nothing.
      if (user || identity.current)
        client().identify(
          user
            ? {
                userId: user,
                ...(signed ? { signature } : {}),
                ...(typeof email === 'string' ? { email } : {}),
              }
            : null,
        );
      identity.current = user;
      if (signed) {
        signedIn.current = user;
        void followSignedIn(user);
      }
    }
  };
  useEffect(() => listen((message) => onMessage.current(message)), [listen]);

  // Suggestions while typing: the classifier's ranking, not just the decision's alternatives, so a
  // half-typed word already lists its neighbours. 1 % keeps out entries that are mere noise.
  const suggest = useCallback(
    (text: string): Suggestion[] => {
      if (!model) return [];
      const hint = model.model.locales.includes(locale) ? locale : model.model.defaultLocale;
      const result = model.model.classifier.classify(text, hint);
      const list: Suggestion[] = [];
      for (const { label, score } of result.outOfScope ? [] : result.ranked) {
        if (list.length === 5 || score < 0.01) break;
        const entry = model.model.entry(label, hint);
        if (entry) list.push({ id: entry.id, title: entry.title });
      }
      lastSuggestions.current = list;
      return list;
    },
    [model, locale],
  );

  const close = () => bridge?.post({ lotse: 1, type: 'close' });
  const title = model?.model.title(locale) || t.bot;
  const thread = threads.find((th) => th.stored.token === openThread);
  const showPerson =
    !thread && (step.kind === 'ask' || step.kind === 'answer' || step.kind === 'suggest');
  const closedNow =
    hours?.nextOpening !== undefined && isAfterHours(hours)
      ? afterHoursText(locale, hours.nextOpening, Date.now())
      : '';

  const showThread = (token: string) => {
    setOpenThread(token);
    // Fresh on every opening: the team may have answered since the panel loaded.
    void loadThread(token);
    loadLazy().then(setLazyUi, () => setFailedLazy(true));
  };
  const askAgain = () => {
    setStep({ kind: 'ask' });
    setFocusSignal((n) => n + 1);
  };
  const closeThread = () => {
    setOpenThread(undefined);
    setFocusSignal((n) => n + 1);
  };
  // Ratings go with the conversation's token (the server counts them only from its holder); the
  // host page hears of them like of tracked events.
  const rateConversation = <T extends 'csat.submitted' | 'ces.submitted'>(
    token: string,
    type: T,
    props: EventPropsMap[T],
  ) => {
    // A rating lost to the network is not worth an error in the panel (nor in the host page).
    client()
      .rateConversation(token, type, props)
      .catch(() => {});
    forward(type, props);
  };

  const renderThread = (th: Thread) => {
    if (!lazyUi) return <p class="msg bot">{t.loading}</p>;
    const { token, ticketId } = th.stored;
    const npsDue = isNpsDue(readNpsAskedAt(storage, config.site), npsInterval);
    return (
      <lazyUi.ConversationView
        key={token}
        messages={t}
        locale={locale}
        ticketId={ticketId}
        conversation={th.conversation}
        failed={th.failed === true}
        rated={th.stored.rated === true}
        askNps={npsDue}
        onBack={closeThread}
        onReply={async (text) => {
          addMessage(token, await client().reply(token, text));
          return true;
        }}
        onReopen={async () => {
          setThread(token, { conversation: await client().reopen(token) });
          return true;
        }}
        onCsat={(score) => {
          rateConversation(token, 'csat.submitted', { score, conversationId: ticketId });
          updateConversation(storage, config.site, token, { rated: true });
        }}
        onCes={(score) =>
          rateConversation(token, 'ces.submitted', { score, conversationId: ticketId })
        }
        onNps={(score) => track('nps.submitted', { score })}
        onNpsShown={() => recordNpsAsked(storage, config.site)}
      />
    );
  };

  const renderRequests = () =>
    threads.length === 0 ? null : (
      <nav class="requests" aria-labelledby="lotse-requests">
        <h2 id="lotse-requests">{t.requests}</h2>
        <ul>
          {threads.map((th) => {
            const unread = th.conversation
              ? countUnread(th.conversation.messages, th.stored.seen)
              : 0;
            return (
              <li key={th.stored.token}>
                <button type="button" class="link" onClick={() => showThread(th.stored.token)}>
                  {t.request.replace('{ticket}', th.stored.ticketId)}
                  {unread > 0 ? ` – ${t.newReplies(unread)}` : ''}
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
    );

  const renderStep = () => {
    switch (step.kind) {
      case 'answer':
        return (
          <fieldset class="rate">
            <legend>{t.helpful}</legend>
            <button type="button" onClick={() => rate(step.shown, true)}>
              {t.yes}
            </button>
            <button type="button" onClick={() => rate(step.shown, false)}>
              {t.no}
            </button>
          </fieldset>
        );
      case 'suggest':
        return (
          <ul ref={alternativesList} class="alternatives" aria-label={t.didYouMean}>
            {step.alternatives.map((alternative, rank) => (
              <li key={alternative.id}>
                <button
                  type="button"
                  class="link"
                  onClick={() => pick(alternative, rank, step.alternatives)}
                >
                  {alternative.title}
                </button>
              </li>
            ))}
          </ul>
        );
      case 'handoff':
        if (!lazyUi) {
          return <p class="msg bot">{failedLazy ? t.sendFailed : t.loading}</p>;
        }
        // The visitor may rather ask on than write to the team.
        return (
          <>
            <lazyUi.HandoffForm
              messages={t}
              initialMessage={questions.current.join('\n')}
              onSend={(values) => send(values, step.reason)}
            />
            <button type="button" class="link" onClick={askAgain}>
              {t.askAnother}
            </button>
          </>
        );
      case 'sent':
        return (
          <div class="sent">
            <h2 ref={confirmation} tabIndex={-1}>
              {t.sentTitle}
            </h2>
            <p>{step.text}</p>
            {step.due ? <p>{step.due}</p> : null}
            {step.afterHours ? <p>{step.afterHours}</p> : null}
            <button type="button" onClick={askAgain}>
              {t.askAnother}
            </button>
          </div>
        );
      default:
        return null;
    }
  };

  const renderBody = () => (
    <>
      {renderRequests()}

      <div ref={logBox} class="log" role="log" aria-live="polite" aria-label={t.history}>
        <p class="msg bot">{t.greeting}</p>
        {failed ? <p class="msg bot">{t.modelFailed}</p> : null}
        {log.map((item) => (
          <div key={item.id} class={`msg ${item.from}`}>
            <span class="sr-only">{item.from === 'bot' ? t.bot : t.you}: </span>
            {item.title ? <h2>{item.title}</h2> : null}
            {item.text ? <p>{item.text}</p> : null}
            {item.answer ? <AnswerView answer={item.answer} /> : null}
          </div>
        ))}
      </div>
      {renderStep()}
    </>
  );

  return (
    <div
      class="panel"
      role="dialog"
      aria-labelledby="lotse-title"
      data-state={model ? 'ready' : failed ? 'failed' : 'loading'}
    >
      <header>
        <h1 id="lotse-title">{title}</h1>
        {bridge ? (
          <button type="button" class="close" aria-label={t.close} onClick={close}>
            <span aria-hidden="true">×</span>
          </button>
        ) : null}
      </header>
      {/* The conversation scrolls: as a focusable named region (a named section), a keyboard can
          reach and scroll it (WCAG 2.1.1). */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll container needs a tab stop */}
      <section class="body" aria-label={t.content} tabIndex={0}>
        {thread ? renderThread(thread) : renderBody()}
        <div ref={logEnd} />
      </section>
      {showPerson ? (
        <footer>
          <QuestionBox
            messages={t}
            suggest={suggest}
            onSubmit={(text) => void ask(text)}
            onPick={(suggestion, rank, typed) => pick(suggestion, rank, undefined, typed)}
            focusSignal={focusSignal}
          />
          <button
            type="button"
            class="person"
            aria-describedby={closedNow ? 'lotse-after-hours' : undefined}
            onClick={() => toHandoff('person-button')}
          >
            {t.person}
          </button>
          {closedNow ? (
            <p id="lotse-after-hours" class="hint">
              {closedNow}
            </p>
          ) : null}
        </footer>
      ) : null}
    </div>
  );
}
