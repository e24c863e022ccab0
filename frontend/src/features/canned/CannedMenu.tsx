import { useEffect, useState } from 'react';
import { cannedResponses, type CannedResponse } from '../../api/files';
import { useI18n } from '../../i18n';

/** Loads the canned responses once per mount. */
export function useCanned(): CannedResponse[] {
  const [list, setList] = useState<CannedResponse[]>([]);
  useEffect(() => {
    let live = true;
    cannedResponses().then(
      (l) => live && setList(l),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  return list;
}

/** The query of a composer text that asks for a canned response ("/ship"), or null. */
export function cannedQuery(text: string): string | null {
  const m = /^\/(\S*)$/.exec(text);
  return m ? (m[1] ?? '').toLowerCase() : null;
}

/** The canned responses matching a query: shortcut prefix first, then text matches. */
export function filterCanned(list: CannedResponse[], q: string, lang: string): CannedResponse[] {
  const textOf = (c: CannedResponse) =>
    lang === 'zh-CN' ? c.text_zh || c.text : c.text || c.text_zh;
  const first = list.filter((c) => c.shortcut.toLowerCase().startsWith(q));
  const rest = list.filter(
    (c) => !first.includes(c) && q !== '' && textOf(c).toLowerCase().includes(q),
  );
  return [...first, ...rest];
}

/** The filtered list under the composer; the composer drives the selection. */
export function CannedMenu({
  items,
  active,
  onPick,
}: {
  items: CannedResponse[];
  active: number;
  onPick(c: CannedResponse): void;
}) {
  const { t, lang } = useI18n();
  return (
    <ul
      className="canned-menu"
      data-testid="canned-menu"
      role="listbox"
      aria-label={t('canned.title')}
    >
      {items.length === 0 && <li className="canned-none">{t('canned.none')}</li>}
      {items.map((c, i) => (
        <li
          key={c.shortcut}
          role="option"
          aria-selected={i === active}
          className={`canned-item${i === active ? ' canned-active' : ''}`}
          data-testid="canned-item"
          data-shortcut={c.shortcut}
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(c);
          }}
        >
          <span className="canned-shortcut">/{c.shortcut}</span>
          <span className="canned-text">
            {lang === 'zh-CN' ? c.text_zh || c.text : c.text || c.text_zh}
          </span>
        </li>
      ))}
    </ul>
  );
}
