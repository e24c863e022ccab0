// The bound methods of the desktop benchmark (app/bench.go, src/bench.ts).
// The benchmark measures the app from outside, so it gets the bound methods
// as they are: no ApiError, no defaults, nothing that would change what it
// times.

import type { WailsAppBindings } from './wails';

/** The bound methods of app.App only the benchmark uses. */
export interface BenchBindings {
  BenchMode(): Promise<boolean>;
  BenchReport(report: string): Promise<void>;
}

/** The bound methods the benchmark calls. */
export type BenchApp = BenchBindings &
  Pick<WailsAppBindings, 'ListConversations' | 'SearchMessages' | 'TranscriptPage'>;

/** The bound methods of the benchmark as Wails binds them; null outside the desktop app. */
export function benchBindings(): BenchApp | null {
  const app = window.go?.app?.App;
  if (
    !app?.BenchMode ||
    !app.BenchReport ||
    !app.ListConversations ||
    !app.SearchMessages ||
    !app.TranscriptPage
  ) {
    return null;
  }
  return app as BenchApp;
}
