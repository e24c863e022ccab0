import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { toApiError, type ApiError } from '../../api';
import { exportTranscript, type TranscriptFormat } from '../../api/files';
import { useI18n } from '../../i18n';

/** Where an export stands: choosing, saving, saved (path) or failed. */
type ExportState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved'; path: string }
  | { status: 'failed'; error: ApiError };

/**
 * The "Export transcript" action of the conversation view: a button that
 * opens a small dialog with the format and "include internal notes", and
 * saves through the native save dialog. The transcript is in the UI's
 * language.
 */
export function ExportTranscriptButton({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn btn-ghost"
        data-testid="btn-export-transcript"
        onClick={() => setOpen(true)}
      >
        {t('conv.export')}
      </button>
      {open && <ExportDialog conversationId={conversationId} onClose={() => setOpen(false)} />}
    </>
  );
}

function ExportDialog({ conversationId, onClose }: { conversationId: string; onClose(): void }) {
  const { t, tError, lang } = useI18n();
  const [format, setFormat] = useState<TranscriptFormat>('html');
  const [internal, setInternal] = useState(false);
  const [state, setState] = useState<ExportState>({ status: 'idle' });
  const live = useRef(true);
  const titleId = useId();
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const save = async () => {
    setState({ status: 'saving' });
    try {
      const r = await exportTranscript(conversationId, format, lang === 'zh-CN' ? 'zh' : 'en', internal);
      if (!live.current) return;
      // A cancelled save dialog saves nothing: back to choosing.
      setState(r.path ? { status: 'saved', path: r.path } : { status: 'idle' });
    } catch (err) {
      if (live.current) setState({ status: 'failed', error: toApiError(err) });
    }
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
  };
  const saving = state.status === 'saving';

  return (
    <div className="dialog-backdrop" onKeyDown={onKey}>
      <div
        className="dialog dialog-export"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="export-dialog"
      >
        <h2 className="dialog-title" id={titleId}>
          {t('conv.exportTitle')}
        </h2>
        <fieldset className="dialog-body" disabled={saving}>
          <label>
            <input
              type="radio"
              name="export-format"
              data-testid="export-format-html"
              checked={format === 'html'}
              onChange={() => setFormat('html')}
            />{' '}
            {t('conv.exportHtml')}
          </label>
          <label>
            <input
              type="radio"
              name="export-format"
              data-testid="export-format-text"
              checked={format === 'text'}
              onChange={() => setFormat('text')}
            />{' '}
            {t('conv.exportText')}
          </label>
          <label>
            <input
              type="checkbox"
              data-testid="export-internal"
              checked={internal}
              onChange={(e) => setInternal(e.target.checked)}
            />{' '}
            {t('conv.exportInternal')}
          </label>
        </fieldset>
        {state.status === 'saved' && (
          <div className="banner banner-info" role="status" data-testid="export-saved">
            {t('conv.exportSaved', { path: state.path })}
          </div>
        )}
        {state.status === 'failed' && (
          <div className="banner banner-error" role="alert" data-testid="export-error">
            {tError(state.error)}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" data-testid="export-cancel" onClick={onClose}>
            {t('conv.exportCancel')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="export-save"
            disabled={saving}
            autoFocus
            onClick={() => void save()}
          >
            {saving ? t('conv.exportSaving') : t('conv.exportSave')}
          </button>
        </div>
      </div>
    </div>
  );
}
