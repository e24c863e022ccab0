// Entry point of the Switchboard customer widget. The build turns this file
// into dist/switchboard-widget.js, an IIFE that defines window.Switchboard.
//
//   <link rel="stylesheet" href="https://chat.example.com/widget/switchboard-widget.css">
//   <script src="https://chat.example.com/widget/switchboard-widget.js"></script>
//   <script>Switchboard.init({ ext: { order_no: 'SO-1' } })</script>

import './widget.css';
import { ChatClient, type ClientEnv, type IdentitySource } from './client';
import { localeTag, pickLocale, STRINGS, type Locale } from './i18n';
import { MAX_EXT_KEYS, MAX_EXT_VALUE_LEN, MAX_TEXT_RUNES } from './protocol';
import { safeStore } from './storage';
import { newClientMsgID } from './uuid';
import { WidgetView } from './view';

/** InitOptions configures the widget. */
export interface InitOptions {
  /** Server base URL; default: the origin the widget script was loaded from. */
  server?: string;
  /**
   * Business fields shown to the agent: source page, order number… They
   * are shown as unverified and decide nothing; what must be trusted (user
   * id, VIP, tier) goes in the identity token.
   */
  ext?: Record<string, string>;
  /**
   * The signed identity token your backend issues for the signed-in user
   * (a JWT, see docs/deployment.md), or a function returning a fresh one;
   * leave it out for anonymous visitors.
   */
  identity?: IdentitySource;
  /** Language; default: the browser's (zh-* → zh, else en). */
  locale?: Locale;
  /** Where to mount the widget; default: document.body. */
  container?: HTMLElement;
  /** Open the panel at once. */
  open?: boolean;
}

/** WidgetHandle controls a running widget. */
export interface WidgetHandle {
  open(): void;
  close(): void;
  destroy(): void;
  /**
   * identify switches the widget to the user of a fresh identity token
   * (after sign-in, or when the page's token was renewed), or back to an
   * anonymous visitor with null (after sign-out). It reconnects at once.
   */
  identify(identity: IdentitySource | null): WidgetHandle;
}

// Captured while the script runs: currentScript is null afterwards.
const scriptOrigin = originOf((document.currentScript as HTMLScriptElement | null)?.src);

let active: WidgetHandle | null = null;

/** init shows the widget on the page; calling it again replaces the previous one. */
export function init(options: InitOptions = {}): WidgetHandle {
  active?.destroy();
  const server = normalizeServer(options.server) ?? scriptOrigin ?? location.origin;
  const locale = pickLocale(options.locale, navigator.language);
  const storage = safeStore(() => window.localStorage);

  const env: ClientEnv = {
    fetch: (url, req) => window.fetch(url, req),
    openSocket: (url) => new WebSocket(url),
    storage,
    random: Math.random,
    now: Date.now,
    uuid: newClientMsgID,
    setTimer: (fn, ms) => window.setTimeout(fn, ms),
    clearTimer: (h) => window.clearTimeout(h as number),
  };
  const client = new ChatClient(
    {
      server,
      ext: sanitizeExt(options.ext),
      locale: localeTag(locale),
      identity: options.identity ?? undefined,
    },
    env,
  );
  const openKey = `switchboard:${server}:open`;
  const view = new WidgetView(client, {
    strings: STRINGS[locale],
    locale,
    container: options.container ?? document.body,
    onFirstOpen: () => client.start(),
    onToggle: (open) => (open ? storage.set(openKey, '1') : storage.remove(openKey)),
  });

  // Come back at once when the network or the tab does, instead of waiting
  // out the backoff.
  const wake = () => {
    if (document.visibilityState !== 'hidden') client.reconnectNow();
  };
  window.addEventListener('online', wake);
  document.addEventListener('visibilitychange', wake);

  if (options.open || storage.get(openKey) === '1') view.open();
  else if (client.hasHistory()) client.start(); // replies may be waiting: count them

  const handle: WidgetHandle = {
    open: () => view.open(),
    close: () => view.close(),
    destroy: () => {
      window.removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', wake);
      client.stop();
      view.destroy();
      if (active === handle) active = null;
    },
    identify: (identity) =>
      init({ ...options, identity: identity ?? undefined, open: view.isShown }),
  };
  active = handle;
  return handle;
}

/**
 * identify switches the running widget to the user of a fresh identity
 * token, or back to an anonymous visitor with null; see
 * WidgetHandle.identify. Before init it starts the widget.
 */
export function identify(identity: IdentitySource | null): WidgetHandle {
  return active ? active.identify(identity) : init({ identity: identity ?? undefined });
}

/** version is the widget's build version. */
export const version = '0.1.0';

/** maxTextLength is the longest message, in characters, the server accepts. */
export const maxTextLength = MAX_TEXT_RUNES;

function originOf(src: string | undefined): string | null {
  if (!src) return null;
  try {
    const u = new URL(src);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

function normalizeServer(server: string | undefined): string | null {
  if (!server) return null;
  try {
    const u = new URL(server, location.href);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

function sanitizeExt(ext: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!ext || typeof ext !== 'object') return out;
  let n = 0;
  for (const [k, v] of Object.entries(ext)) {
    if (n >= MAX_EXT_KEYS) break;
    if (v === undefined || v === null || v === '' || k === '') continue;
    out[k] = String(v).slice(0, MAX_EXT_VALUE_LEN);
    n++;
  }
  return out;
}
