// The About panel's facts and the update notice (app/update.go): the server
// publishes the desktop version IT approved; an older app hears of it as
// `update:available`. Like desktop.ts, absent bindings (a plain browser)
// make every call resolve to nothing.

import { EVENTS } from './events';
import { isRecord, on } from './runtime';

/** What the About panel shows (app.AboutInfo). */
export interface AboutInfo {
  version: string;
  os: string;
  arch: string;
  go_version: string;
  server_url?: string;
  config_dir: string;
  /** False when IT turned the update notice off (DisableUpdateCheck). */
  update_check: boolean;
}

/** A newer approved version and its download link for this OS (app.UpdateNotice). */
export interface UpdateNotice {
  current: string;
  version: string;
  url?: string;
  notes_url?: string;
}

function bindings() {
  return window.go?.app?.App ?? {};
}

/** Reads the About facts; null outside the desktop app. */
export async function about(): Promise<AboutInfo | null> {
  return (await bindings().About?.()) ?? null;
}

/** Reads the current update notice; null when there is none. */
export async function updateNotice(): Promise<UpdateNotice | null> {
  return (await bindings().UpdateNotice?.()) ?? null;
}

export function isUpdateNotice(v: unknown): v is UpdateNotice {
  return isRecord(v) && typeof v.version === 'string' && typeof v.current === 'string';
}

/** Subscribes to `update:available`. */
export function onUpdateAvailable(cb: (n: UpdateNotice) => void): () => void {
  return on(EVENTS.updateAvailable, isUpdateNotice, cb);
}
