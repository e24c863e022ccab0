import { useEffect, useRef } from 'react';
import { useEscape } from '../../hooks/useEscape';
import { useI18n } from '../../i18n';
import { isSupervisor } from '../../state/selectors';
import { useAppState } from '../../state/store';
import { COMPOSER_KEYS, SHORTCUTS } from './shortcuts';

/** The help overlay that lists the keyboard shortcuts; Escape or the button closes it. */
export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEscape(onClose);
  useEffect(() => closeRef.current?.focus(), []);
  // The floor is a supervisor's: an agent is not shown its key.
  const supervisor = isSupervisor(useAppState().session?.user);
  const rows = [
    ...SHORTCUTS.filter((s) => s.keys.length > 0 && (supervisor || s.command !== 'floor')),
    ...COMPOSER_KEYS,
  ];
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        className="dialog shortcuts-help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-help"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="shortcuts-head">
          <h2 className="dialog-title" id="shortcuts-title">
            {t('shortcuts.title')}
          </h2>
          <button
            ref={closeRef}
            type="button"
            className="btn btn-ghost btn-small"
            data-testid="shortcuts-close"
            onClick={onClose}
          >
            {t('shortcuts.close')}
          </button>
        </div>
        <table className="shortcuts-table">
          <tbody>
            {rows.map((s) => (
              <tr key={s.label} data-testid="shortcut-row">
                <td className="shortcut-keys">
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && (s.keys[0] === '?' ? ' / ' : ' + ')}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{t(s.label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
