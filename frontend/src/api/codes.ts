// Error codes of the wire protocol, mirroring protocol.Codes() in
// protocol/errors.go in the same order. A Go test compares the two lists.

/** Every protocol error code, in documentation order. */
export const ERROR_CODES = [
  'malformed_frame',
  'unknown_type',
  'invalid_request',
  'frame_too_large',
  'text_too_long',
  'unsupported_version',
  'hello_required',
  'already_authenticated',
  'unauthenticated',
  'token_expired',
  'bad_credentials',
  'refresh_reused',
  'account_disabled',
  'identity_invalid',
  'identity_expired',
  'forbidden',
  'not_found',
  'illegal_transition',
  'conflict',
  'at_capacity',
  'target_unavailable',
  'file_too_large',
  'type_not_allowed',
  'upload_not_found',
  'invalid_card',
  'rate_limited',
  'internal',
  'unavailable',
  'quota_exceeded',
] as const;

/** A protocol error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

const known: ReadonlySet<string> = new Set(ERROR_CODES);

/** Reports whether code is one of {@link ERROR_CODES}. */
export function isErrorCode(code: string): code is ErrorCode {
  return known.has(code);
}
