// The keyboard shortcuts of the workstation: one table that both the key
// handler and the help overlay read, so the two cannot disagree.

import { useEffect } from 'react';
import type { MessageKey } from '../../i18n';
import { runCommand, type Command } from './commands';

/** One shortcut: the command, its keys as shown, and how a key event matches. */
export interface Shortcut {
  command: Command;
  /** What the help shows, e.g. ['Alt', 'R']. */
  keys: readonly string[];
  label: MessageKey;
  match(e: KeyboardEvent): boolean;
}

/** Alt (Option) with a key by its physical code, so layouts and macOS's Option characters do not matter. */
function alt(code: string) {
  return (e: KeyboardEvent) => e.altKey && !e.ctrlKey && !e.metaKey && e.code === code;
}

/** Reports whether focus is in a place that takes text. */
function typing(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return el.isContentEditable || el.closest('input, textarea, select') !== null;
}

/** Every shortcut, in the order the help lists them. */
export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'next', keys: ['Alt', '↓'], label: 'shortcuts.next', match: alt('ArrowDown') },
  { command: 'prev', keys: ['Alt', '↑'], label: 'shortcuts.prev', match: alt('ArrowUp') },
  { command: 'tab:mine', keys: ['Alt', '1…4'], label: 'shortcuts.tabs', match: alt('Digit1') },
  { command: 'tab:queue', keys: [], label: 'shortcuts.tabs', match: alt('Digit2') },
  { command: 'tab:waiting', keys: [], label: 'shortcuts.tabs', match: alt('Digit3') },
  { command: 'tab:resolved', keys: [], label: 'shortcuts.tabs', match: alt('Digit4') },
  {
    command: 'search',
    keys: ['Ctrl', 'K'],
    label: 'shortcuts.search',
    match: (e) => (e.ctrlKey || e.metaKey) && !e.altKey && e.code === 'KeyK',
  },
  {
    command: 'searchMessages',
    keys: ['Ctrl', 'Shift', 'F'],
    label: 'shortcuts.searchMessages',
    match: (e) => (e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.code === 'KeyF',
  },
  { command: 'accept', keys: ['Alt', 'A'], label: 'shortcuts.accept', match: alt('KeyA') },
  { command: 'decline', keys: ['Alt', 'D'], label: 'shortcuts.decline', match: alt('KeyD') },
  { command: 'resolve', keys: ['Alt', 'R'], label: 'shortcuts.resolve', match: alt('KeyR') },
  { command: 'transfer', keys: ['Alt', 'T'], label: 'shortcuts.transfer', match: alt('KeyT') },
  {
    command: 'focusComposer',
    keys: ['Alt', 'C'],
    label: 'shortcuts.focusComposer',
    match: alt('KeyC'),
  },
  { command: 'toggleNote', keys: ['Alt', 'N'], label: 'shortcuts.toggleNote', match: alt('KeyN') },
  { command: 'theme', keys: ['Alt', 'L'], label: 'shortcuts.theme', match: alt('KeyL') },
  { command: 'floor', keys: ['Alt', 'F'], label: 'shortcuts.floor', match: alt('KeyF') },
  {
    command: 'help',
    keys: ['?', 'F1'],
    label: 'shortcuts.help',
    match: (e) =>
      e.key === 'F1' || (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e)),
  },
];

/** Keys the composer handles itself, listed in the help. */
export const COMPOSER_KEYS: readonly { keys: readonly string[]; label: MessageKey }[] = [
  { keys: ['Enter'], label: 'shortcuts.send' },
  { keys: ['Shift', 'Enter'], label: 'shortcuts.newline' },
];

/** Finds the shortcut a key event asks for. */
export function shortcutFor(e: KeyboardEvent): Shortcut | undefined {
  if (e.isComposing || e.repeat) return undefined;
  return SHORTCUTS.find((s) => s.match(e));
}

/** Runs the shortcuts' commands while mounted. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = shortcutFor(e);
      if (!s) return;
      e.preventDefault();
      runCommand(s.command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
