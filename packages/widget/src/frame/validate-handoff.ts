import { type HandoffRequest, handoffRequestSchema } from '@lotse/sdk/schema';
import type { PanelMessages } from '../i18n/panel-messages.js';
import type { HandoffErrors } from '../ui/handoff-form.js';

/**
 * Checks a handoff request with the schema the server uses and says what to fix, per form field, in
 * the visitor's language; `undefined` when it is valid.
 */
export function validateHandoff(
  request: HandoffRequest,
  messages: PanelMessages,
): HandoffErrors | undefined {
  const checked = handoffRequestSchema.safeParse(request);
  if (checked.success) return undefined;
  const errors: HandoffErrors = {};
  for (const issue of checked.error.issues) {
    const field = issue.path[0];
    if (field === 'email') errors.email = messages.invalidEmail;
    else if (field === 'message') errors.message = messages.invalidMessage;
    else if (field === 'consent') errors.consent = messages.invalidConsent;
    else errors.form = messages.sendFailed;
  }
  return errors;
}
