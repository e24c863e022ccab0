import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startBench, type BenchReport } from './bench';

interface Fake {
  BenchMode: ReturnType<typeof vi.fn>;
  BenchReport: ReturnType<typeof vi.fn>;
  ListConversations: ReturnType<typeof vi.fn>;
  SearchMessages: ReturnType<typeof vi.fn>;
  TranscriptPage: ReturnType<typeof vi.fn>;
}

function install(benchMode: boolean): Fake {
  const app: Fake = {
    BenchMode: vi.fn(() => Promise.resolve(benchMode)),
    BenchReport: vi.fn(() => Promise.resolve()),
    ListConversations: vi.fn((filter: string) =>
      Promise.resolve(
        filter === 'mine'
          ? [
              { id: 'c1', last_seq: 12 },
              { id: 'c2', last_seq: 10000 },
              { id: 'c3', last_seq: 20000 }, // not listed: not clickable
            ]
          : null,
      ),
    ),
    SearchMessages: vi.fn(() => Promise.resolve([{}, {}])),
    TranscriptPage: vi.fn(() => Promise.resolve({ messages: [] })),
  };
  window.go = { app: { App: app as never } };
  return app;
}

/**
 * The open transcript's scroller, scrolled to the bottom at top px: jsdom
 * lays nothing out, so its scrollTop is kept here.
 */
function scroller(top: number): HTMLElement {
  const el = document.createElement('div');
  el.className = 'transcript-scroller';
  Object.defineProperty(el, 'scrollTop', {
    get: () => top,
    set: (v: number) => {
      top = v;
    },
  });
  return el;
}

/** Renders the list as the app would: items that open a transcript when clicked. */
function renderList(): HTMLButtonElement[] {
  const items = ['c1', 'c2'].map((id) => {
    const b = document.createElement('button');
    b.dataset.testid = 'conv-item';
    b.dataset.conversationId = id;
    b.addEventListener('click', () => {
      setTimeout(() => {
        const row = document.createElement('div');
        row.dataset.testid = 'msg';
        row.dataset.seq = id === 'c2' ? '10000' : '12';
        document.body.append(row, scroller(2000));
      }, 30);
    });
    return b;
  });
  document.body.append(...items);
  return items;
}

describe('startBench', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    document.body.replaceChildren();
  });

  it('reports the list, the open of the largest listed conversation and the searches', async () => {
    const app = install(true);
    startBench();
    await vi.advanceTimersByTimeAsync(50);
    const splash = document.createElement('div');
    splash.className = 'splash';
    document.body.append(splash);
    await vi.advanceTimersByTimeAsync(20);
    splash.remove();
    const workspace = document.createElement('div');
    workspace.className = 'workspace';
    document.body.append(workspace);
    await vi.advanceTimersByTimeAsync(20);
    const clicked = vi.fn();
    renderList()[1]!.addEventListener('click', clicked);
    for (let i = 0; i < 10 && app.BenchReport.mock.calls.length === 0; i++) {
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(clicked).toHaveBeenCalledOnce();
    expect(app.BenchReport).toHaveBeenCalledOnce();
    const report = JSON.parse(app.BenchReport.mock.calls[0]![0] as string) as BenchReport;
    expect(report.errors).toEqual([]);
    expect(report.list_items).toBe(2);
    expect(report.script_unix_ms).toBeGreaterThan(0);
    expect(report.first_render_unix_ms! - report.script_unix_ms!).toBeGreaterThanOrEqual(50);
    expect(report.workspace_unix_ms! - report.first_render_unix_ms!).toBeGreaterThanOrEqual(20);
    expect(report.list_ready_unix_ms! - report.workspace_unix_ms!).toBeGreaterThanOrEqual(20);
    expect(report.open).toMatchObject({ conversation_id: 'c2', last_seq: 10000, rows: 1 });
    expect(report.open!.ms).toBeGreaterThanOrEqual(30);
    expect(report.search).toHaveLength(12);
    expect(report.search![0]).toMatchObject({ query: 'order', hits: 2 });
    expect(app.SearchMessages).toHaveBeenCalledWith('退款', 50);
    // 2,000 px scrolled up in steps of 900: three steps to the top.
    expect(report.scroll).toHaveLength(3);
    expect(document.querySelector<HTMLElement>('.transcript-scroller')!.scrollTop).toBe(0);
  });

  it('does nothing when the app was not started by the benchmark', async () => {
    const app = install(false);
    startBench();
    await vi.advanceTimersByTimeAsync(50);
    renderList();
    await vi.advanceTimersByTimeAsync(5000);
    expect(app.BenchReport).not.toHaveBeenCalled();
    expect(app.ListConversations).not.toHaveBeenCalled();
  });
});
