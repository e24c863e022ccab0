import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ApiError } from '../../api';
import { useI18n } from '../../i18n';

interface Props {
  title: string;
  body: string;
  confirmLabel: string;
  /** Runs the action; resolves to its error, or null (the dialog then closes). */
  onConfirm(): Promise<ApiError | null>;
  onClose(): void;
  testId?: string;
}

/**
 * Asks before a supervisor's visible step (join, leave, take over): what
 * the customer and the agent will see. Escape or Cancel closes it; the
 * confirm button has the focus, so Enter confirms.
 */
export function ConfirmDialog({ title, body, confirmLabel, onConfirm, onClose, testId }: Props) {
  const { t, tError } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const live = useRef(true);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const err = await onConfirm();
    if (!live.current) return;
    setBusy(false);
    if (err) setError(err);
    else onClose();
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
  };

  return (
    <div className="dialog-backdrop" onKeyDown={onKey}>
      <div
        className="dialog dialog-confirm"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        data-testid={testId ?? 'confirm-dialog'}
      >
        <h2 className="dialog-title" id={titleId}>
          {title}
        </h2>
        <p className="dialog-body" id={bodyId}>
          {body}
        </p>
        {error && (
          <div className="banner banner-error" role="alert" data-testid="confirm-error">
            {tError(error)}
          </div>
        )}
        <div className="dialog-actions">
          <button
            type="button"
            className="btn btn-ghost"
            data-testid="confirm-cancel"
            onClick={onClose}
            disabled={busy}
          >
            {t('confirm.cancel')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="confirm-ok"
            disabled={busy}
            autoFocus
            onClick={() => void confirm()}
          >
            {busy ? t('confirm.working') : confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
