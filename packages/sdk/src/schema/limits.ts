// Limits of the handoff and conversation schemas, in a module without zod: the panel's first chunk
// uses them too, and importing them from the schemas would pull zod/mini into it.

/** Longest handoff message or conversation message, in characters. */
export const MAX_MESSAGE_LENGTH = 5000;

/** Most transcript lines a handoff carries. */
export const MAX_TRANSCRIPT_LINES = 50;
