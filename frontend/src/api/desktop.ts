// The desktop integration's bindings: what the UI tells the Go side about
// the view and the window (app/notify.go, app/window.go), and the events the
// alerts listen to. Like index.ts, the only code that touches the Wails
// globals for them; absent globals (a plain browser) make every call a no-op.

import { EVENTS } from './events';
import { isRecord, on } from './runtime';

/** What the agent is looking at (app.ViewState). */
export interface ViewState {
  /** The conversation open on screen; '' when none. */
  conversation_id: string;
  /** Whether the window has the focus. */
  focused: boolean;
  /** The UI language, for the notifications' text. */
  lang: string;
}

/** Payload of `notification:open`: the agent clicked a notification. */
export interface NotificationOpen {
  conversation_id: string;
}

/** Payload of `message:unseen`: a customer message the agent cannot see. */
export interface UnseenMessage {
  conversation_id: string;
  seq: number;
}

/** The bound methods of app.App this module uses. */
export interface DesktopBindings {
  SetView(v: ViewState): Promise<void>;
  WindowChanged(): Promise<void>;
}

function bindings(): Partial<DesktopBindings> {
  return window.go?.app?.App ?? {};
}

function report(what: string, p: Promise<void> | undefined): void {
  p?.catch((err: unknown) => console.warn(`${what} failed`, err));
}

/** Tells the Go side which conversation is in view and whether the window is focused. */
export function setView(v: ViewState): void {
  report('SetView', bindings().SetView?.(v));
}

/** Asks the Go side to remember the window's size and position now. */
export function windowChanged(): void {
  report('WindowChanged', bindings().WindowChanged?.());
}

function hasConversationId(v: unknown): v is { conversation_id: string } {
  return isRecord(v) && typeof v.conversation_id === 'string';
}

/** Subscribes to `notification:open`. */
export function onNotificationOpen(cb: (n: NotificationOpen) => void): () => void {
  return on(EVENTS.notificationOpen, hasConversationId, cb);
}

/** Subscribes to `message:unseen`. */
export function onUnseenMessage(cb: (m: UnseenMessage) => void): () => void {
  return on(
    EVENTS.unseenMessage,
    (v): v is UnseenMessage =>
      hasConversationId(v) && typeof (v as { seq?: unknown }).seq === 'number',
    cb,
  );
}
