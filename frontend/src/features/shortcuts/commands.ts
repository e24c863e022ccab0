// Commands that keyboard shortcuts (and anything else) can run: a small bus,
// so the shortcut handler does not need to know which component acts on
// "resolve" or "next conversation", and components do not listen to keys.

import { useEffect } from 'react';

/** Everything a shortcut can ask for. */
export type Command =
  | 'next'
  | 'prev'
  | 'tab:mine'
  | 'tab:queue'
  | 'tab:waiting'
  | 'tab:resolved'
  | 'accept'
  | 'decline'
  | 'resolve'
  | 'transfer'
  | 'focusComposer'
  | 'toggleNote'
  | 'search'
  | 'searchMessages'
  | 'theme'
  | 'floor'
  | 'help';

const bus = new EventTarget();

/** Runs a command: every component that handles it acts. */
export function runCommand(c: Command): void {
  bus.dispatchEvent(new Event(c));
}

/** Handles a command while the calling component is mounted. */
export function useCommand(c: Command, handler: () => void): void {
  useEffect(() => {
    const h = () => handler();
    bus.addEventListener(c, h);
    return () => bus.removeEventListener(c, h);
  }, [c, handler]);
}
