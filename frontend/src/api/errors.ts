import { isErrorCode, type ErrorCode } from './codes';
import { isRecord } from './runtime';

/**
 * ApiError is a failed call into the Go side. The Go side rejects with
 * strings of the form "code: message" where code is a protocol error code;
 * anything else keeps its text as the message with code "internal".
 */
export class ApiError extends Error {
  /** A protocol error code, or another snake_case code the Go side used. */
  readonly code: ErrorCode | string;

  constructor(code: ErrorCode | string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }

  /** Reports whether the code is one of the protocol's codes. */
  get known(): boolean {
    return isErrorCode(this.code);
  }
}

const coded = /^([a-z][a-z0-9_]*): ?([\s\S]*)$/;

/** Converts whatever a rejected binding call produced into an {@link ApiError}. */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason;
  let text: string;
  if (typeof reason === 'string') {
    text = reason;
  } else if (reason instanceof Error) {
    text = reason.message;
  } else if (isRecord(reason) && typeof reason.code === 'string') {
    return new ApiError(reason.code, typeof reason.message === 'string' ? reason.message : '');
  } else {
    text = String(reason);
  }
  const m = coded.exec(text.trim());
  if (m?.[1] !== undefined && m[2] !== undefined) return new ApiError(m[1], m[2]);
  return new ApiError('internal', text);
}
