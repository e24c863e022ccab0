// Typed UI strings for zh-CN and English with a React context. The language
// follows the OS (the desktop's SystemLanguage binding, else
// navigator.language) until the user picks one in the header; the choice is
// remembered in localStorage. A managed policy may preset the language (it
// applies until the user picks one) or lock it (the switch is disabled).

import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { isErrorCode, type ErrorCode } from '../api/codes';
import { systemLanguage } from '../api';
import { en, type Dictionary, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey } from './en';

/** A supported UI language. */
export type Lang = 'en' | 'zh-CN';

/** Supported languages, in the order the switch lists them. */
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

const dictionaries: Record<Lang, Dictionary> = { en, 'zh-CN': zhCN };

// Every protocol error code needs a translation in every dictionary.
type ErrorKey = `error.${ErrorCode}`;
const _everyCodeTranslated: ErrorKey extends MessageKey ? true : never = true;
void _everyCodeTranslated;

const storageKey = 'switchboard.lang';

/** Picks the UI language for a BCP 47 tag: Chinese for zh*, else English. */
export function langFor(tag: string | undefined | null): Lang {
  return tag?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function savedLang(): Lang | null {
  try {
    const saved = window.localStorage.getItem(storageKey);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // storage may be unavailable; fall back to the OS language
  }
  return null;
}

function initialLang(): Lang {
  return savedLang() ?? langFor(typeof navigator === 'undefined' ? 'en' : navigator.language);
}

/**
 * Asks the desktop's Go side for the OS language: the web view's
 * navigator.language does not follow it everywhere (WebKitGTK ignores LANG).
 * Resolves null in a plain browser or when the OS does not say.
 */
async function systemLang(): Promise<Lang | null> {
  const tag = await systemLanguage();
  return tag ? langFor(tag) : null;
}

/** Parameters substituted into `{name}` placeholders. */
export type Params = Record<string, string | number>;

/** Formats message key of dictionary d with params. */
export function format(d: Dictionary, key: MessageKey, params?: Params): string {
  const s = d[key];
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** The language a managed policy sets: one of the UI's, or the OS's. */
export interface ManagedLang {
  language: Lang | 'system';
  /** Enforced: the user cannot change it. */
  locked: boolean;
}

/** The i18n API components use. */
export interface I18n {
  lang: Lang;
  /** Whether the administrator locked the language (setLang does nothing). */
  langLocked: boolean;
  setLang(lang: Lang): void;
  t(key: MessageKey, params?: Params): string;
  /** Translates a key if it exists (e.g. `ext.${key}`), else returns fallback. */
  tMaybe(key: string, fallback: string, params?: Params): string;
  /** Translates an error by code; unknown codes show their message. */
  tError(err: { code: string; message: string }): string;
}

const I18nContext = createContext<I18n | null>(null);

/**
 * Words for a handoff reason. The server's reasons are trigger codes
 * (vip_customer…), the asked-for-an-agent wording, or a rule's own words,
 * which are shown as they are.
 */
export function handoffReasonText(reason: string, tMaybe: I18n['tMaybe']): string {
  if (reason === 'customer asked for an agent') return tMaybe('trigger.asked', reason);
  return tMaybe(`trigger.${reason}`, reason);
}

/**
 * Provides the UI language. `lang` sets the initial one (tests), otherwise
 * it is detected; `managed` is what a managed policy says, which wins over
 * both when locked, and over the OS's when not.
 */
export function I18nProvider({
  children,
  lang: fixed,
  managed,
}: {
  children: ReactNode;
  lang?: Lang;
  managed?: ManagedLang;
}) {
  const [picked, setPicked] = useState<Lang>(() => fixed ?? initialLang());
  const [chosen, setChosen] = useState(() => Boolean(fixed) || savedLang() !== null);
  const [osLang, setOsLang] = useState<Lang | null>(null);
  const locked = managed?.locked ?? false;
  const preset = managed && managed.language !== 'system' ? managed.language : null;

  // The OS language is asked for when it decides: until the agent chooses
  // (and no policy presets one), or when the policy locks to it.
  const wantOS = locked ? preset === null : !chosen && preset === null;
  useEffect(() => {
    if (!wantOS) return;
    let live = true;
    void systemLang().then((l) => {
      if (live && l) setOsLang(l);
    });
    return () => {
      live = false;
    };
  }, [wantOS]);

  let lang: Lang;
  if (locked) lang = preset ?? osLang ?? langFor(navigator.language);
  else if (chosen) lang = picked;
  else lang = preset ?? osLang ?? picked;

  const setLang = useCallback(
    (l: Lang) => {
      if (locked) return;
      setPicked(l);
      setChosen(true);
      try {
        window.localStorage.setItem(storageKey, l);
      } catch {
        // not persisted; the choice lasts until restart
      }
    },
    [locked],
  );

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<I18n>(() => {
    const d = dictionaries[lang];
    const t = (key: MessageKey, params?: Params) => format(d, key, params);
    const tMaybe = (key: string, fallback: string, params?: Params) =>
      key in d ? format(d, key as MessageKey, params) : fallback;
    // The app's own codes (server_not_allowed) have words too.
    const tError = (err: { code: string; message: string }) =>
      isErrorCode(err.code) || `error.${err.code}` in d
        ? t(`error.${err.code}` as MessageKey)
        : t('error.unknown', { message: err.message || err.code });
    return { lang, langLocked: locked, setLang, t, tMaybe, tError };
  }, [lang, locked, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** Returns the i18n API; must be used under {@link I18nProvider}. */
export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
