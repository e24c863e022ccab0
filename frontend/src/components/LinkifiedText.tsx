import { useMemo } from 'react';
import type { MouseEvent } from 'react';
import { openExternal } from '../api';
import { splitLinks } from './linkify';

function openInBrowser(e: MouseEvent<HTMLAnchorElement>): void {
  // Inside the desktop app a new window would open in the web view; hand the
  // URL to the system browser instead.
  e.preventDefault();
  openExternal(e.currentTarget.href);
}

/** Renders text as text nodes, with http(s) URLs as external links. */
export function LinkifiedText({ text }: { text: string }) {
  const segments = useMemo(() => splitLinks(text), [text]);
  return (
    <>
      {segments.map((s, i) =>
        s.kind === 'text' ? (
          s.text
        ) : (
          <a
            key={i}
            href={s.href}
            target="_blank"
            rel="noopener noreferrer"
            onClick={openInBrowser}
          >
            {s.text}
          </a>
        ),
      )}
    </>
  );
}
