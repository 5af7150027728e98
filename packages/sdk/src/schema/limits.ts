// Limits of the schemas, in a module without zod: the panel's first chunk and the client use them
// too, and importing them from the schemas would pull zod/mini into them.

/** Longest handoff message or conversation message, in characters. */
export const MAX_MESSAGE_LENGTH = 5000;

/** Most transcript lines a handoff carries. */
export const MAX_TRANSCRIPT_LINES = 50;

/**
 * An opaque identifier (user, ticket, entry, conversation): letters, digits and `. _ : -`, at most
 * 128, no spaces, so it cannot carry free text or an e-mail address.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
