package protocol

// The desktop UI and the widget take their TypeScript wire types from this
// package: internal/tsgen writes frontend/src/api/protocol.gen.ts and
// backend/widget/src/protocol.gen.ts, and its test fails when they are out
// of date.
//go:generate go run ../internal/tsgen -root ..
