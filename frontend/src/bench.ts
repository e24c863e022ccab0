// The UI's half of the desktop benchmark (make bench-desktop,
// docs/benchmarks.md). It does nothing unless the app was started with
// SWITCHBOARD_BENCH_REPORT set, which the bound BenchMode reports. Then it
// times, like an agent would see them:
//
//   - list_ready_unix_ms: when the conversation list first holds an item
//     (the benchmark subtracts the time it started the process); on the way
//     there, when this script ran, when React first drew anything and when
//     the signed-in workspace appeared;
//   - open: clicking the list item of the conversation with the most messages
//     until its newest message is in the transcript, and until the next paint;
//   - search: SearchMessages over the local cache for a few fixed queries;
//   - scroll: the open transcript scrolled up in steps, each until the frame
//     after its rows were drawn (the virtualized list renders as it scrolls);
//
// and hands the report to the bound BenchReport, which writes it to the file.
// It calls the bound methods as Wails binds them (api/bench.ts) rather than
// through src/api's wrappers: it measures the app from outside, like a test
// would, and must not change what it measures.

import { benchBindings, type BenchApp } from './api/bench';
import { PAGE_SIZE } from './state/store';

const ITEM = '[data-testid="conv-item"]';
/** The first thing React draws: the splash while booting, else the screen. */
const FIRST_RENDER = '.splash, .workspace, .signin-screen';
const WORKSPACE = '.workspace';
const QUERIES = ['order', 'refund', '退款', 'invoice 2024'];
const SEARCH_ROUNDS = 3;
const SEARCH_LIMIT = 50;
const SCROLL_STEPS = 10;
/** Pixels a scroll step moves: beyond the rows drawn ahead of the view. */
const SCROLL_STEP_PX = 900;
const LIST_TIMEOUT_MS = 60_000;
const OPEN_TIMEOUT_MS = 20_000;
/** Pause before each measured step, so start-up work does not land in it. */
const SETTLE_MS = 1_000;

interface BenchConversation {
  id: string;
  last_seq: number;
}

/** The time a selector first matched: wall clock and performance.now(). */
interface Seen {
  unixMS: number;
  at: number;
}

interface Watch {
  seen: Promise<Seen>;
  cancel(): void;
}

export interface BenchReport {
  /** When the UI's script started to run (its bundle loaded and parsed). */
  script_unix_ms?: number;
  dom_content_loaded_unix_ms?: number;
  /** When React's first render was in the DOM. */
  first_render_unix_ms?: number;
  /** When the signed-in workspace was (the boot state had arrived). */
  workspace_unix_ms?: number;
  list_ready_unix_ms?: number;
  list_items?: number;
  open?: {
    conversation_id: string;
    last_seq: number;
    /** Click until the newest message is in the DOM. */
    ms: number;
    /** Click until the frame after that was painted. */
    paint_ms: number;
    /** Message rows in the DOM then (the transcript is virtualized). */
    rows: number;
    /**
     * Afterwards, the call for the newest page alone (as the store makes
     * it), warm: how much of the open is Go, the bridge and JSON.
     */
    page_ms: number;
  };
  search?: { query: string; ms: number; hits: number }[];
  /** Each scroll step up the open transcript until two frames were painted. */
  scroll?: number[];
  errors: string[];
}

/**
 * Starts watching for the conversation list at once (before React renders),
 * then asks Go whether this is a benchmark run; if not, it stops watching.
 */
export function startBench(): void {
  const scriptUnixMS = Date.now();
  const app = benchBindings();
  if (!app) return;
  const marks = {
    first: watch(FIRST_RENDER, LIST_TIMEOUT_MS),
    workspace: watch(WORKSPACE, LIST_TIMEOUT_MS),
    list: watch(ITEM, LIST_TIMEOUT_MS),
  };
  const cancel = () => Object.values(marks).forEach((m) => m.cancel());
  app.BenchMode().then((on) => {
    if (!on) return cancel();
    return run(app, scriptUnixMS, marks);
  }, cancel);
}

async function run(
  app: BenchApp,
  scriptUnixMS: number,
  marks: Record<'first' | 'workspace' | 'list', Watch>,
): Promise<void> {
  const report: BenchReport = { script_unix_ms: scriptUnixMS, errors: [] };
  const nav = performance.getEntriesByType('navigation')[0] as
    PerformanceNavigationTiming | undefined;
  if (nav)
    report.dom_content_loaded_unix_ms = Math.round(
      performance.timeOrigin + nav.domContentLoadedEventEnd,
    );
  try {
    const seen = await marks.list.seen;
    report.list_ready_unix_ms = seen.unixMS;
    report.first_render_unix_ms = await marks.first.seen.then(
      (s) => s.unixMS,
      () => undefined,
    );
    report.workspace_unix_ms = await marks.workspace.seen.then(
      (s) => s.unixMS,
      () => undefined,
    );
    report.list_items = document.querySelectorAll(ITEM).length;
    await sleep(SETTLE_MS);
    report.open = await openLargest(app);
  } catch (e) {
    report.errors.push(`open: ${String(e)}`);
  }
  try {
    await sleep(SETTLE_MS);
    report.search = await search(app);
  } catch (e) {
    report.errors.push(`search: ${String(e)}`);
  }
  try {
    await sleep(SETTLE_MS);
    report.scroll = await scrollUp();
  } catch (e) {
    report.errors.push(`scroll: ${String(e)}`);
  }
  await app.BenchReport(JSON.stringify(report));
}

/** Clicks the listed conversation with the most messages and times its transcript. */
async function openLargest(app: BenchApp): Promise<NonNullable<BenchReport['open']>> {
  const listed = new Map<string, HTMLElement>();
  document.querySelectorAll<HTMLElement>(ITEM).forEach((el) => {
    const id = el.dataset.conversationId;
    if (id) listed.set(id, el);
  });
  let best: BenchConversation | undefined;
  for (const filter of ['mine', 'queue']) {
    const convs = await app.ListConversations(filter).catch(() => null);
    for (const c of convs ?? []) {
      if (listed.has(c.id) && (!best || c.last_seq > best.last_seq)) best = c;
    }
  }
  if (!best) throw new Error('no listed conversation has a last_seq');
  const newest = watch(`[data-testid="msg"][data-seq="${best.last_seq}"]`, OPEN_TIMEOUT_MS);
  const t0 = performance.now();
  listed.get(best.id)!.click();
  const seen = await newest.seen;
  await nextPaint();
  const painted = performance.now();
  const rows = document.querySelectorAll('[data-testid="msg"]').length;
  await sleep(SETTLE_MS);
  const p0 = performance.now();
  await app.TranscriptPage(best.id, 0, PAGE_SIZE);
  const pageMS = performance.now() - p0;
  return {
    conversation_id: best.id,
    last_seq: best.last_seq,
    ms: round(seen.at - t0),
    paint_ms: round(painted - t0),
    rows,
    page_ms: round(pageMS),
  };
}

async function search(app: BenchApp): Promise<NonNullable<BenchReport['search']>> {
  const out: NonNullable<BenchReport['search']> = [];
  for (let r = 0; r < SEARCH_ROUNDS; r++) {
    for (const query of QUERIES) {
      const t0 = performance.now();
      const hits = await app.SearchMessages(query, SEARCH_LIMIT);
      out.push({ query, ms: round(performance.now() - t0), hits: hits?.length ?? 0 });
    }
  }
  return out;
}

/**
 * Scrolls the open transcript up by SCROLL_STEP_PX at a time, timing each
 * step until two frames have been painted: the scroll event's frame, and the
 * one after the virtualized list has rendered the rows it brought into view.
 */
async function scrollUp(): Promise<number[]> {
  const scroller = document.querySelector<HTMLElement>('.transcript-scroller');
  if (!scroller) throw new Error('no open transcript');
  const out: number[] = [];
  for (let i = 0; i < SCROLL_STEPS && scroller.scrollTop > 0; i++) {
    const t0 = performance.now();
    scroller.scrollTop = Math.max(0, scroller.scrollTop - SCROLL_STEP_PX);
    await nextPaint();
    await nextPaint();
    out.push(round(performance.now() - t0));
  }
  return out;
}

/**
 * Resolves with the time a selector first matches in the document. The
 * observer's callback runs right after the DOM change, before the browser
 * paints it.
 */
function watch(selector: string, timeoutMS: number): Watch {
  let stop = () => {};
  const seen = new Promise<Seen>((resolve, reject) => {
    const check = () => {
      if (!document.querySelector(selector)) return false;
      stop();
      resolve({ unixMS: Date.now(), at: performance.now() });
      return true;
    };
    const observer = new MutationObserver(check);
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${selector} not seen in ${timeoutMS} ms`));
    }, timeoutMS);
    stop = () => {
      observer.disconnect();
      clearTimeout(timer);
    };
    if (!check()) observer.observe(document.documentElement, { childList: true, subtree: true });
  });
  return { seen, cancel: () => stop() };
}

/** Resolves after the next frame has been painted. */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

startBench();
