// The handoff form and its schema check, loaded when a visitor first needs a person: most visitors
// never do, and zod/mini is a fifth of the panel's bytes.
export { HandoffForm } from '../ui/handoff-form.js';
export { validateHandoff } from './validate-handoff.js';
