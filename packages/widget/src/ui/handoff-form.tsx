import { MAX_MESSAGE_LENGTH } from '@lotse/sdk/schema';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanelMessages } from '../i18n/panel-messages.js';

/** What the visitor enters in the handoff form. */
export interface HandoffValues {
  email: string;
  message: string;
  consent: boolean;
}

/**
 * Field errors the form shows, as message keys: translated when shown, so a language switch
 * (`Lotse('setLocale', …)`) also switches an error already on screen.
 */
export type HandoffErrors = Partial<
  Record<
    keyof HandoffValues | 'form',
    'invalidEmail' | 'invalidMessage' | 'invalidConsent' | 'sendFailed'
  >
>;

/** Props of {@link HandoffForm}. */
export interface HandoffFormProps {
  messages: PanelMessages;
  initialMessage: string;
  /** Validates and sends; resolves with errors to show, or nothing on success. */
  onSend(values: HandoffValues): Promise<HandoffErrors | undefined>;
}

/** The handoff form: e-mail, message (prefilled with the visitor's questions), consent, send. */
export function HandoffForm({ messages, initialMessage, onSend }: HandoffFormProps) {
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState(initialMessage);
  const [consent, setConsent] = useState(false);
  const [errors, setErrors] = useState<HandoffErrors>({});
  const [busy, setBusy] = useState(false);
  const emailInput = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => emailInput.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    let found: HandoffErrors;
    try {
      found = (await onSend({ email: email.trim(), message: message.trim(), consent })) ?? {};
    } catch {
      found = { form: 'sendFailed' };
    } finally {
      setBusy(false);
    }
    setErrors(found);
    const first = (['email', 'message', 'consent'] as const).find((field) => found[field]);
    if (first) form.current?.querySelector<HTMLElement>(`#lotse-${first}`)?.focus();
  };
  const described = (field: keyof HandoffErrors) =>
    errors[field] ? { 'aria-invalid': true, 'aria-describedby': `lotse-${field}-error` } : {};
  const error = (field: keyof HandoffErrors) =>
    errors[field] ? (
      <p id={`lotse-${field}-error`} class="error">
        {messages[errors[field]]}
      </p>
    ) : null;

  return (
    <form ref={form} class="handoff" onSubmit={submit} noValidate>
      <label for="lotse-email">{messages.email}</label>
      <input
        ref={emailInput}
        id="lotse-email"
        type="email"
        autocomplete="email"
        required
        value={email}
        onInput={(event) => setEmail(event.currentTarget.value)}
        {...described('email')}
      />
      {error('email')}
      <label for="lotse-message">{messages.message}</label>
      <textarea
        id="lotse-message"
        rows={4}
        required
        maxLength={MAX_MESSAGE_LENGTH}
        value={message}
        onInput={(event) => setMessage(event.currentTarget.value)}
        {...described('message')}
      />
      {error('message')}
      <div class="check">
        <input
          id="lotse-consent"
          type="checkbox"
          required
          checked={consent}
          onChange={(event) => setConsent(event.currentTarget.checked)}
          {...described('consent')}
        />
        <label for="lotse-consent">{messages.consent}</label>
      </div>
      {error('consent')}
      <button type="submit" class="primary" aria-disabled={busy}>
        {busy ? messages.sending : messages.send}
      </button>
      {errors.form ? (
        <p class="error" role="alert">
          {messages[errors.form]}
        </p>
      ) : null}
    </form>
  );
}
