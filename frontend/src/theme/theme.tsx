// Light and dark themes. The choice is "system" (follow the OS through
// prefers-color-scheme, live), "light" or "dark"; it is remembered in
// localStorage. The resolved theme is set as <html data-theme>, which the
// style sheet keys its colors on.

import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

/** What the agent chose. */
export type ThemePref = 'system' | 'light' | 'dark';

/** What is shown. */
export type Theme = 'light' | 'dark';

/** The choices, in the order the switch lists them. */
export const THEME_PREFS: readonly ThemePref[] = ['system', 'light', 'dark'];

const storageKey = 'switchboard.theme';
const darkQuery = '(prefers-color-scheme: dark)';

function savedPref(): ThemePref {
  try {
    const v = window.localStorage.getItem(storageKey);
    if (v === 'light' || v === 'dark' || v === 'system') return v;
  } catch {
    // storage may be unavailable; follow the OS
  }
  return 'system';
}

function osTheme(): Theme {
  return typeof window.matchMedia === 'function' && window.matchMedia(darkQuery).matches
    ? 'dark'
    : 'light';
}

/** The theme a preference shows. */
export function resolveTheme(pref: ThemePref, os: Theme): Theme {
  return pref === 'system' ? os : pref;
}

/** Sets the saved theme on <html> before the first render, so nothing flashes. */
export function applyInitialTheme(): void {
  document.documentElement.dataset.theme = resolveTheme(savedPref(), osTheme());
}

/** The theme API components use. */
export interface ThemeApi {
  pref: ThemePref;
  theme: Theme;
  setPref(p: ThemePref): void;
  /** Switches to the other of light and dark. */
  toggle(): void;
}

const ThemeContext = createContext<ThemeApi | null>(null);

/** Provides the theme and keeps <html data-theme> and the OS in step. */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const [pref, setPrefState] = useState<ThemePref>(savedPref);
  const [os, setOs] = useState<Theme>(osTheme);

  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const mq = window.matchMedia(darkQuery);
    const onChange = () => setOs(mq.matches ? 'dark' : 'light');
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);

  const theme = resolveTheme(pref, os);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const setPref = useCallback((p: ThemePref) => {
    setPrefState(p);
    try {
      window.localStorage.setItem(storageKey, p);
    } catch {
      // not persisted; the choice lasts until restart
    }
  }, []);

  const value = useMemo<ThemeApi>(
    () => ({ pref, theme, setPref, toggle: () => setPref(theme === 'dark' ? 'light' : 'dark') }),
    [pref, theme, setPref],
  );
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}

/** Returns the theme API; must be used under {@link ThemeProvider}. */
export function useTheme(): ThemeApi {
  const v = useContext(ThemeContext);
  if (!v) throw new Error('useTheme outside ThemeProvider');
  return v;
}
