package protocol

import "fmt"

// Error is a coded error as it crosses the wire: a stable Code for programs,
// a safe Message for people, and whether the same request may succeed if
// retried unchanged. Internal detail never goes in Message; it goes to logs.
type Error struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Retryable bool   `json:"retryable"`
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, protocol.ErrForbidden) works on wrapped and copied errors.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// WithMessage returns a copy of e with a more specific message.
func (e *Error) WithMessage(format string, args ...any) *Error {
	c := *e
	c.Message = fmt.Sprintf(format, args...)
	return &c
}

// Error codes. Every code is documented in docs/protocol.md; the frontend
// mirrors this list and a test keeps the two equal.
var (
	// Frame and request errors: the request is wrong and retrying it unchanged fails again.
	ErrMalformed     = &Error{Code: "malformed_frame", Message: "frame is not a valid JSON object"}
	ErrUnknownType   = &Error{Code: "unknown_type", Message: "unknown frame type"}
	ErrInvalid       = &Error{Code: "invalid_request", Message: "request is invalid"}
	ErrFrameTooLarge = &Error{Code: "frame_too_large", Message: "frame exceeds the size limit"}
	ErrTextTooLong   = &Error{Code: "text_too_long", Message: "message text exceeds the length limit"}
	ErrUnsupported   = &Error{Code: "unsupported_version", Message: "protocol version is not supported"}
	ErrHelloRequired = &Error{Code: "hello_required", Message: "the first frame must be hello"}
	ErrAlreadyHello  = &Error{Code: "already_authenticated", Message: "hello was already accepted on this connection"}
	ErrUnauthorized  = &Error{Code: "unauthenticated", Message: "missing or invalid token"}
	// ErrTokenExpired refuses a token past its expiry. For an agent's
	// access token it means "refresh, then retry"; for a refresh token or a
	// visitor token, "sign in again" (or fetch a new visitor token).
	ErrTokenExpired   = &Error{Code: "token_expired", Message: "token has expired; sign in again"}
	ErrBadCredentials = &Error{Code: "bad_credentials", Message: "wrong username or password"}
	// ErrRefreshReused refuses a refresh token that was already exchanged:
	// someone else may hold a copy, so every token of that sign-in is
	// revoked and the agent signs in again.
	ErrRefreshReused = &Error{Code: "refresh_reused", Message: "this sign-in was used from somewhere else; sign in again"}
	// ErrAccountDisabled refuses sign-in and connections of an account an
	// admin has disabled; its live connections are closed with
	// CloseUnauthorized.
	ErrAccountDisabled = &Error{Code: "account_disabled", Message: "this account is disabled; ask an administrator"}
	// ErrIdentityInvalid refuses a customer identity token (the signed
	// token a site's backend issues for its signed-in user) that is not
	// well-formed, is signed by no configured site key, or lacks the user
	// id or the expiry; also when the server has no identity keys.
	ErrIdentityInvalid = &Error{Code: "identity_invalid", Message: "the identity token could not be verified"}
	// ErrIdentityExpired refuses an identity token past its expiry: the
	// page asks its backend for a fresh one.
	ErrIdentityExpired = &Error{Code: "identity_expired", Message: "the identity token has expired; get a fresh one"}
	ErrForbidden       = &Error{Code: "forbidden", Message: "not allowed for this user"}
	ErrNotFound        = &Error{Code: "not_found", Message: "conversation not found"}
	ErrIllegalState    = &Error{Code: "illegal_transition", Message: "not allowed in the conversation's current state"}
	ErrConflict        = &Error{Code: "conflict", Message: "client_msg_id was already used for a different message"}
	// ErrAtCapacity refuses an accept that would take the agent above their
	// capacity; finishing a conversation first makes room.
	ErrAtCapacity = &Error{Code: "at_capacity", Message: "you are at your capacity of concurrent conversations"}
	// ErrTargetUnavailable refuses a transfer to an agent who is not online
	// or has no room, or to an unknown team.
	ErrTargetUnavailable = &Error{Code: "target_unavailable", Message: "the transfer target cannot take the conversation now"}
	// ErrFileTooLarge refuses an upload larger than the server's limit.
	ErrFileTooLarge = &Error{Code: "file_too_large", Message: "the file exceeds the upload size limit"}
	// ErrTypeNotAllowed refuses an upload whose declared or sniffed type is
	// not on the allow-list, or whose content does not match its declared
	// type (a program renamed .png), and an attachment whose type does not
	// fit the message kind.
	ErrTypeNotAllowed = &Error{Code: "type_not_allowed", Message: "this type of file is not allowed"}
	// ErrUploadNotFound means attachment_id names no finished upload of the
	// sender in that conversation.
	ErrUploadNotFound = &Error{Code: "upload_not_found", Message: "no finished upload with that id"}
	// ErrInvalidCard refuses a card of an unknown type or version, card data
	// that does not fit its schema, and a card action the card does not
	// declare or whose values do not fit it.
	ErrInvalidCard = &Error{Code: "invalid_card", Message: "the card or card action is invalid"}
	// ErrEmailUnavailable refuses to email a transcript: the server has no
	// SMTP server configured. Clients hide the option (see
	// WelcomeData.TranscriptEmail).
	ErrEmailUnavailable = &Error{Code: "email_unavailable", Message: "this server does not send email"}

	// Transient errors: the same request may succeed later.
	ErrRateLimited = &Error{Code: "rate_limited", Message: "too many requests; slow down", Retryable: true}
	ErrInternal    = &Error{Code: "internal", Message: "internal server error", Retryable: true}
	ErrUnavailable = &Error{Code: "unavailable", Message: "server is shutting down; reconnect", Retryable: true}
	// ErrQuotaExceeded refuses work beyond a per-user or per-address
	// allowance: unfinished uploads, their declared bytes, bytes uploaded
	// per day, WebSocket connections from one address. It succeeds again
	// once earlier work ends (an upload finishes or is cancelled, a
	// connection closes) or the next day.
	ErrQuotaExceeded = &Error{Code: "quota_exceeded", Message: "an allowance of concurrent work or daily volume is used up", Retryable: true}
	// ErrUnknownVariable refuses a canned response whose text holds a
	// variable the composer cannot fill.
	ErrUnknownVariable = &Error{Code: "unknown_variable", Message: "the text holds an unknown variable"}
	// ErrDuplicateShortcut refuses a canned response whose shortcut another
	// response of the same scope has.
	ErrDuplicateShortcut = &Error{Code: "duplicate_shortcut", Message: "another canned response of this scope has the shortcut"}
)

// Codes lists every error code, in documentation order.
func Codes() []*Error {
	return []*Error{
		ErrMalformed, ErrUnknownType, ErrInvalid, ErrFrameTooLarge, ErrTextTooLong,
		ErrUnsupported, ErrHelloRequired, ErrAlreadyHello, ErrUnauthorized, ErrTokenExpired,
		ErrBadCredentials, ErrRefreshReused, ErrAccountDisabled, ErrIdentityInvalid, ErrIdentityExpired, ErrForbidden, ErrNotFound, ErrIllegalState, ErrConflict,
		ErrAtCapacity, ErrTargetUnavailable,
		ErrFileTooLarge, ErrTypeNotAllowed, ErrUploadNotFound, ErrInvalidCard, ErrEmailUnavailable,
		ErrRateLimited, ErrInternal, ErrUnavailable, ErrQuotaExceeded,
		ErrUnknownVariable, ErrDuplicateShortcut,
	}
}

// WebSocket close codes the server uses. 4000–4499: the client should
// reconnect (with backoff) and resume. 4500–4999: terminal; reconnecting with
// the same credentials fails again.
const (
	CloseShutdown     = 4000 // server is draining; reconnect to another node or later
	CloseSlowConsumer = 4001 // outbound queue overflowed; reconnect and resume
	// CloseTokenExpired: the access token the connection was authenticated
	// with expired and no reauth replaced it; refresh, reconnect and resume.
	CloseTokenExpired = 4002
	CloseUnauthorized = 4500 // hello failed or token revoked; sign in again
	CloseProtocol     = 4501 // the client broke the protocol (e.g. no hello in time)
)

// Limits enforced by the server.
const (
	MaxFrameBytes = 64 << 10 // a larger frame is answered with frame_too_large
	// HardFrameBytes is the read limit of the socket: a larger frame closes the
	// connection with the standard close code 1009 (message too big).
	HardFrameBytes = 1 << 20
	MaxTextRunes   = 4000
	// MaxHistoryBytes bounds the messages of one history reply: a page is
	// cut short (has_more) before its messages pass it, so every server
	// frame stays well under HardFrameBytes.
	MaxHistoryBytes = 512 << 10
	MaxExtKeys      = 32
	MaxExtValueLen  = 512
	// MaxRatingCommentRunes bounds a rating's comment; MaxNoteRunes a
	// transfer note.
	MaxRatingCommentRunes = 1000
	MaxNoteRunes          = 1000
	// MaxFileNameBytes caps an uploaded file's name (longer names are cut,
	// keeping the extension).
	MaxFileNameBytes = 255
	// DefaultMaxUploadBytes is the default upload size limit; the server's
	// --max-upload flag changes it.
	DefaultMaxUploadBytes = 100 << 20
	// MaxCardBytes bounds a card's data and a card action's values.
	MaxCardBytes = 8 << 10
	// MaxTags bounds a conversation's tags and MaxTagRunes one tag (after
	// NormalizeTag).
	MaxTags     = 20
	MaxTagRunes = 32
	// MaxCustomerNoteRunes bounds a customer note's text (trimmed);
	// MaxContextNotes is how many of the customer's notes context returns.
	MaxCustomerNoteRunes = 2000
	MaxContextNotes      = 50
)
