// jsdom lays nothing out, so a virtualized list would render no rows. Every
// test renders Virtuoso inside its documented mock context instead: a
// viewport of fixed height with rows of fixed height, so the window of rows
// it renders is predictable. jsdom fires no scroll events either, and the
// list waits for one after its first scroll to the initial row: the mock
// sends it, and tests wait for it with settleVirtuoso.

import { act } from '@testing-library/react';
import { createElement, forwardRef, useLayoutEffect, useRef } from 'react';
import { vi } from 'vitest';

/** The mocked viewport and row heights (px): 2000 / 40 = 50 rows in view. */
export const MOCK_VIEWPORT = { viewportHeight: 2000, itemHeight: 40 };

function nudge(root: ParentNode): void {
  for (const sc of root.querySelectorAll('[data-virtuoso-scroller]')) {
    sc.dispatchEvent(new Event('scroll'));
  }
}

/** When after mounting the list gets the scroll event of its initial scroll (ms). */
const NUDGE_MS = 30;

// jsdom has no element scrolling methods; the list calls them when rows are prepended.
for (const name of ['scrollBy', 'scrollTo'] as const) {
  if (typeof Element.prototype[name] !== 'function') {
    Object.defineProperty(Element.prototype, name, { value: () => {}, configurable: true });
  }
}

/** Waits until every list on the page has scrolled to its initial row and drawn its window. */
export async function settleVirtuoso(): Promise<void> {
  await act(() => new Promise((r) => setTimeout(r, NUDGE_MS * 3)));
  // On a busy machine a list may not have drawn its window yet: it holds
  // rows (its padding stands for them) but none in the DOM. Nudge it again
  // until it has, for at most a second.
  for (let i = 0; i < 30 && undrawnLists().length > 0; i++) {
    await act(async () => {
      nudge(document);
      await new Promise((r) => setTimeout(r, NUDGE_MS));
    });
  }
  // The list stays hidden until it sees the scroll position it asked for,
  // which jsdom never reports; shown, its rows count for role queries.
  for (const list of document.querySelectorAll<HTMLElement>('[data-testid="virtuoso-item-list"]')) {
    list.style.visibility = '';
  }
}

/** The lists that hold rows they have not drawn. */
function undrawnLists(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="virtuoso-item-list"]')].filter(
    (l) =>
      l.childElementCount === 0 &&
      (parseFloat(l.style.paddingTop) || 0) + (parseFloat(l.style.paddingBottom) || 0) > 0,
  );
}

vi.mock('react-virtuoso', async (importOriginal) => {
  const mod = await importOriginal<typeof import('react-virtuoso')>();
  const Virtuoso = forwardRef<unknown, Record<string, unknown>>(
    function MockedVirtuoso(props, ref) {
      const box = useRef<HTMLDivElement>(null);
      // Lists rendered deep inside the app (no test to settle them) nudge themselves.
      useLayoutEffect(() => {
        const el = box.current;
        if (!el) return;
        nudge(el);
        const t = setTimeout(() => nudge(el), NUDGE_MS);
        return () => clearTimeout(t);
      }, []);
      return createElement(
        'div',
        { ref: box, style: { display: 'contents' } },
        createElement(
          mod.VirtuosoMockContext.Provider,
          { value: MOCK_VIEWPORT },
          createElement(mod.Virtuoso as never, { ...props, ref }),
        ),
      );
    },
  );
  return { ...mod, Virtuoso };
});
