// The "/" menu's model: the shared canned responses of the server merged
// with the agent's personal ones, searched in both languages, and the
// values a conversation gives their variables.

import type { CannedChange, Conversation, SharedCanned } from '../../api/types';
import type { CannedResponse as PersonalCanned } from '../../api/files';
import type { FillValues } from './fill';

/** One response the menu offers. */
export interface CannedItem {
  /** Unique in the menu: "s:" and the server's id, or "p:" and the shortcut. */
  key: string;
  /** Where it comes from: the server (global or a team's) or the agent's own. */
  source: 'global' | 'team' | 'personal';
  team: string;
  shortcut: string;
  title: string;
  zh: string;
  en: string;
}

/** The order canned lists them in: global first, then by team and shortcut. */
export function sortShared(list: readonly SharedCanned[]): SharedCanned[] {
  return [...list].sort(
    (a, b) =>
      (a.team === '' ? 0 : 1) - (b.team === '' ? 0 : 1) ||
      a.team.localeCompare(b.team) ||
      a.shortcut.localeCompare(b.shortcut),
  );
}

/** The list after a canned_changed push: the response replaced, added or removed. */
export function applyCannedChange(
  list: readonly SharedCanned[],
  change: CannedChange,
): SharedCanned[] {
  const rest = list.filter((r) => r.id !== change.response.id);
  return change.deleted ? rest : sortShared([...rest, change.response]);
}

/** The menu's items: the shared ones first, in the server's order, then the personal ones. */
export function mergeCanned(
  shared: readonly SharedCanned[],
  personal: readonly PersonalCanned[],
): CannedItem[] {
  return [
    ...shared.map((r): CannedItem => ({
      key: `s:${r.id}`,
      source: r.team === '' ? 'global' : 'team',
      team: r.team,
      shortcut: r.shortcut,
      title: r.title,
      zh: r.text.zh,
      en: r.text.en,
    })),
    ...personal.map((c): CannedItem => ({
      key: `p:${c.shortcut}`,
      source: 'personal',
      team: '',
      shortcut: c.shortcut,
      title: '',
      zh: c.text_zh,
      en: c.text,
    })),
  ];
}

/** The query of a composer text that asks for a canned response ("/ship"), or null. */
export function cannedQuery(text: string): string | null {
  const m = /^\/(\S*)$/.exec(text);
  return m ? (m[1] ?? '').toLowerCase() : null;
}

/**
 * The items matching a query: those whose shortcut starts with it first,
 * then those whose shortcut, title or text in either language holds it.
 */
export function filterCanned(items: readonly CannedItem[], q: string): CannedItem[] {
  const first = items.filter((c) => c.shortcut.toLowerCase().startsWith(q));
  if (q === '') return first;
  const rest = items.filter(
    (c) =>
      !first.includes(c) &&
      [c.shortcut, c.title, c.zh, c.en].some((s) => s.toLowerCase().includes(q)),
  );
  return [...first, ...rest];
}

/** What a conversation gives a canned response: the variables' values and its language. */
export interface CannedContext {
  values: FillValues;
  /** The customer's language (the conversation's ext.locale), "" when unknown. */
  locale: string;
}

/**
 * The values of a conversation: its customer's name, its business fields
 * (those a signed identity vouched for win, as the context panel shows
 * them) and the agent's name.
 */
export function cannedContext(
  conv: Pick<Conversation, 'customer_name' | 'ext' | 'verified'>,
  agentName: string,
): CannedContext {
  const ext = { ...(conv.ext ?? {}), ...(conv.verified ?? {}) };
  return {
    values: { customer_name: conv.customer_name, agent_name: agentName, ext },
    locale: ext['locale'] ?? '',
  };
}
