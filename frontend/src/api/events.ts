// Names of the Wails events the Go side emits (runtime.EventsEmit).

/** Event names, mirroring the Go side's emitter. */
export const EVENTS = {
  connState: 'conn:state',
  conversation: 'conversation',
  conversationRemoved: 'conversation:removed',
  message: 'message',
  ack: 'ack',
  sendFailed: 'send:failed',
  sessionEnded: 'session:ended',
  notificationOpen: 'notification:open',
  unseenMessage: 'message:unseen',
} as const;

/** A Wails event name the UI listens to. */
export type EventName = (typeof EVENTS)[keyof typeof EVENTS];
