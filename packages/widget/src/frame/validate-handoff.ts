import { type HandoffRequest, handoffRequestSchema } from '@lotse/sdk/schema';
import type { HandoffErrors } from '../ui/handoff-form.js';

/**
 * Checks a handoff request with the schema the server uses and says what to fix, per form field (a
 * message key); `undefined` when it is valid.
 */
export function validateHandoff(request: HandoffRequest): HandoffErrors | undefined {
  const checked = handoffRequestSchema.safeParse(request);
  if (checked.success) return undefined;
  const errors: HandoffErrors = {};
  for (const issue of checked.error.issues) {
    const field = issue.path[0];
    if (field === 'email') errors.email = 'invalidEmail';
    else if (field === 'message') errors.message = 'invalidMessage';
    else if (field === 'consent') errors.consent = 'invalidConsent';
    else errors.form = 'sendFailed';
  }
  return errors;
}
