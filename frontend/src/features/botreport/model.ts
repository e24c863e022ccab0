// What the bot report view works out of a report: the groups in order, the
// question a group stands for, and the entry a group would become.

import type { KBEntry, MissGroup, MissQuestion } from '../../api/types';

/** The reasons a question is in the report, in the order the view lists them. */
export const MISS_REASONS = ['unsure', 'handed_over', 'asked_again', 'unhelpful'] as const;

/** A language of the knowledge base. */
export type KBLocale = 'zh' | 'en';

/** The knowledge base language of a group or question: "zh" or "en". */
export function kbLocale(locale: string | undefined): KBLocale {
  return locale?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The groups largest first; of two as large, the one asked last first. */
export function sortGroups(groups: readonly MissGroup[]): MissGroup[] {
  return [...groups].sort((a, b) => b.count - a.count || b.last_at - a.last_at);
}

/**
 * The question a group stands for: its newest in the group's language, else
 * its newest. The server lists the questions newest first.
 */
export function groupQuestion(g: MissGroup): MissQuestion | undefined {
  const qs = g.questions ?? [];
  const loc = kbLocale(g.locale);
  return qs.find((q) => kbLocale(q.locale) === loc) ?? qs[0];
}

/** The ids of a group's questions: they leave the report with an edit. */
export function missIds(g: MissGroup): string[] {
  return (g.questions ?? []).map((q) => q.id);
}

/**
 * An entry id made of a question: lowercase ASCII words joined by hyphens,
 * at most 40 characters. A question with no ASCII words (Chinese) gives
 * "entry-" and the group's id.
 */
export function slugFor(text: string, groupID: string): string {
  const words = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  let slug = '';
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w;
    if (next.length > 40) break;
    slug = next;
  }
  if (slug) return slug;
  const id = groupID
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `entry-${id || 'new'}`;
}

/** What the new-entry form holds. */
export interface EntryDraft {
  id: string;
  team: string;
  locale: KBLocale;
  question: string;
  answerZh: string;
  answerEn: string;
}

/**
 * The form's start for a group: the id from its question, the team given,
 * its question, and the agent's reply (if any) as the answer in the
 * group's language.
 */
export function entryDraftFor(g: MissGroup, team: string): EntryDraft {
  const locale = kbLocale(g.locale);
  const question = groupQuestion(g)?.text ?? '';
  const draft = g.draft?.text ?? '';
  return {
    id: slugFor(question, g.id),
    team,
    locale,
    question,
    answerZh: locale === 'zh' ? draft : '',
    answerEn: locale === 'en' ? draft : '',
  };
}

/** The entry the form makes: its question in its language only. */
export function entryOf(d: EntryDraft): KBEntry {
  const q = d.question.trim();
  return {
    id: d.id.trim(),
    team: d.team.trim(),
    questions: { zh: d.locale === 'zh' && q ? [q] : [], en: d.locale === 'en' && q ? [q] : [] },
    answer: { zh: d.answerZh.trim(), en: d.answerEn.trim() },
  };
}
