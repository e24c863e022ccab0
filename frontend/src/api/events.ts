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
  uploadProgress: 'upload:progress',
  uploadDone: 'upload:done',
  uploadFailed: 'upload:failed',
  downloadProgress: 'download:progress',
  filesDropped: 'files:dropped',
  updateAvailable: 'update:available',
  user: 'user',
  floor: 'floor',
  monitor: 'monitor',
  draft: 'draft',
  assist: 'assist',
  status: 'status',
  cannedChanged: 'canned:changed',
} as const;

/** A Wails event name the UI listens to. */
export type EventName = (typeof EVENTS)[keyof typeof EVENTS];
