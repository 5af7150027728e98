export type { Check, ExpectedOutcome, ParseChecksOptions } from './parse-checks.js';
export { CheckSuiteError, parseChecks } from './parse-checks.js';
export type { CheckOutcome, CheckResult } from './run-checks.js';
export { formatCheckReport, runChecks } from './run-checks.js';
