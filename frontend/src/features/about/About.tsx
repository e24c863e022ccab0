import { useCallback, useEffect, useRef, useState } from 'react';
import { openExternal } from '../../api';
import {
  about,
  onUpdateAvailable,
  updateNotice,
  type AboutInfo,
  type UpdateNotice,
} from '../../api/update';
import { useEscape } from '../../hooks/useEscape';
import { useI18n } from '../../i18n';

const dismissedKey = 'switchboard.update.dismissed';

/**
 * The update notice IT's approved version produces: it comes from the Go
 * side at start and as `update:available`, and stays until dismissed for
 * that version. Nothing is downloaded or replaced by the app.
 */
export function useUpdateNotice(): { notice: UpdateNotice | null; dismiss(): void } {
  const [notice, setNotice] = useState<UpdateNotice | null>(null);
  const [dismissed, setDismissed] = useState(() => {
    try {
      return window.localStorage.getItem(dismissedKey) ?? '';
    } catch {
      return '';
    }
  });
  useEffect(() => {
    let live = true;
    updateNotice()
      .then((n) => {
        if (live && n) setNotice(n);
      })
      .catch((err: unknown) => console.warn('UpdateNotice failed', err));
    const off = onUpdateAvailable(setNotice);
    return () => {
      live = false;
      off();
    };
  }, []);
  const dismiss = useCallback(() => {
    if (!notice) return;
    setDismissed(notice.version);
    try {
      window.localStorage.setItem(dismissedKey, notice.version);
    } catch {
      // Private mode: the notice comes back at the next start.
    }
  }, [notice]);
  return { notice: notice && notice.version !== dismissed ? notice : null, dismiss };
}

/** A non-blocking bar under the header: a newer version is approved, with its link. */
export function UpdateBanner() {
  const { t } = useI18n();
  const { notice, dismiss } = useUpdateNotice();
  if (!notice) return null;
  return (
    <div className="banner banner-info update-banner" role="status" data-testid="update-banner">
      <span>
        {t('update.available', { version: notice.version, current: notice.current })}
      </span>
      <span className="update-actions">
        {notice.url && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="update-download"
            onClick={() => openExternal(notice.url!)}
          >
            {t('update.download')}
          </button>
        )}
        {notice.notes_url && (
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => openExternal(notice.notes_url!)}
          >
            {t('update.notes')}
          </button>
        )}
        <button
          type="button"
          className="btn btn-ghost btn-small"
          data-testid="update-dismiss"
          onClick={dismiss}
        >
          {t('update.dismiss')}
        </button>
      </span>
    </div>
  );
}

/** The About panel: version, platform, server and where the app keeps its data. */
export function AboutDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const [info, setInfo] = useState<AboutInfo | null>(null);
  const { notice } = useUpdateNotice();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEscape(onClose);
  useEffect(() => {
    let live = true;
    about()
      .then((a) => {
        if (live) setInfo(a);
      })
      .catch((err: unknown) => console.warn('About failed', err));
    closeRef.current?.focus();
    return () => {
      live = false;
    };
  }, []);
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        className="dialog about-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="about-title"
        data-testid="about-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 className="dialog-title" id="about-title">
          <span className="brand-mark" aria-hidden="true" /> {t('app.name')}
        </h2>
        <p className="about-tagline">{t('app.tagline')}</p>
        <dl className="about-facts">
          <dt>{t('about.version')}</dt>
          <dd data-testid="about-version">{info?.version ?? '…'}</dd>
          {info && (
            <>
              <dt>{t('about.platform')}</dt>
              <dd>
                {info.os}/{info.arch} · {info.go_version}
              </dd>
              {info.server_url && (
                <>
                  <dt>{t('about.server')}</dt>
                  <dd>{info.server_url}</dd>
                </>
              )}
              <dt>{t('about.data')}</dt>
              <dd className="about-path">{info.config_dir}</dd>
              <dt>{t('about.updates')}</dt>
              <dd data-testid="about-updates">
                {!info.update_check
                  ? t('about.updatesOff')
                  : notice
                    ? t('update.available', { version: notice.version, current: notice.current })
                    : t('about.upToDate')}
              </dd>
            </>
          )}
        </dl>
        <div className="dialog-actions">
          <button
            ref={closeRef}
            type="button"
            className="btn"
            data-testid="about-close"
            onClick={onClose}
          >
            {t('about.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
