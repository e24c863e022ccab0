// Error codes of the wire protocol: generated from protocol.Codes() in
// protocol/errors.go (protocol.gen.ts, `make types`).

import { ERROR_CODES, type ErrorCode } from './protocol.gen';

export { ERROR_CODES, RETRYABLE_CODES, type ErrorCode } from './protocol.gen';

const known: ReadonlySet<string> = new Set(ERROR_CODES);

/** Reports whether code is one of {@link ERROR_CODES}. */
export function isErrorCode(code: string): code is ErrorCode {
  return known.has(code);
}
