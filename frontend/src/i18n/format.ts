// Locale-aware formatting of times and durations.

import type { MessageKey, Params } from './index';
import type { Lang } from './index';

type T = (key: MessageKey, params?: Params) => string;

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A shared Intl.DateTimeFormat for a language and a set of options: making
 * one costs far more than formatting with it (a list of 200 conversations
 * re-rendered would otherwise build 200 of them), so each is made once.
 */
export function dateFormat(
  lang: Lang,
  name: string,
  opts: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${lang}|${name}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, opts);
    formatters.set(key, f);
  }
  return f;
}

/** Formats a unix-ms time as HH:MM today, else with the date. */
export function formatTime(ms: number, lang: Lang, now = Date.now()): string {
  if (!ms) return '';
  const d = new Date(ms);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay
    ? dateFormat(lang, 'time', { hour: 'numeric', minute: '2-digit' }).format(d)
    : dateFormat(lang, 'dayTime', {
        hour: 'numeric',
        minute: '2-digit',
        month: 'short',
        day: 'numeric',
      }).format(d);
}

/** Formats a unix-ms time with date and time. */
export function formatDateTime(ms: number, lang: Lang): string {
  if (!ms) return '';
  return dateFormat(lang, 'dateTime', { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(ms),
  );
}

/** Formats a duration in milliseconds coarsely: minutes, hours, days. */
export function formatDuration(ms: number, t: T): string {
  const min = Math.floor(Math.max(0, ms) / 60_000);
  if (min < 1) return t('duration.lessThanMinute');
  if (min < 60) return t('duration.minutes', { n: min });
  const h = Math.floor(min / 60);
  if (h < 24) return t('duration.hours', { h, m: min % 60 });
  return t('duration.days', { d: Math.floor(h / 24), h: h % 24 });
}
