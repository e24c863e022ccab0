import { useI18n } from '../../i18n';
import { pickCanned } from './fill';
import type { CannedItem } from './model';

export { cannedQuery, filterCanned } from './model';
export { useCanned } from './useCanned';

/** The filtered list under the composer; the composer drives the selection. */
export function CannedMenu({
  items,
  active,
  locale,
  onPick,
}: {
  items: CannedItem[];
  active: number;
  /** The language the text is shown in (the conversation's, else the UI's). */
  locale: string;
  onPick(c: CannedItem): void;
}) {
  const { t } = useI18n();
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
          key={c.key}
          role="option"
          aria-selected={i === active}
          className={`canned-item${i === active ? ' canned-active' : ''}`}
          data-testid="canned-item"
          data-shortcut={c.shortcut}
          data-source={c.source}
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(c);
          }}
        >
          <span className="canned-shortcut">/{c.shortcut}</span>
          <span className="canned-scope" data-testid="canned-scope">
            {c.source === 'personal'
              ? t('canned.personal')
              : c.source === 'global'
                ? t('canned.global')
                : c.team}
          </span>
          {c.title !== '' && <span className="canned-title">{c.title}</span>}
          <span className="canned-text">{pickCanned(c.zh, c.en, locale)}</span>
        </li>
      ))}
    </ul>
  );
}
