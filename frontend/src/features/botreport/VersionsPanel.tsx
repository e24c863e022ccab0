import { useEffect, useState } from 'react';
import * as api from '../../api';
import type { ApiError } from '../../api';
import type { KBData, KBVersion } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import { ConfirmDialog } from '../supervise/ConfirmDialog';

type Load =
  { status: 'loading' } | { status: 'ready'; kb: KBData } | { status: 'failed'; error: ApiError };

interface Props {
  /** Changes whenever the knowledge base may have changed: the list is read again. */
  reloadKey: number;
  /**
   * Brings version back as a new one, edited from base (the current
   * version); resolves to an error to show in the confirm step, or null.
   */
  onRollback(version: number, base: number): Promise<ApiError | null>;
}

/**
 * The knowledge base's versions, newest first: when, by whom, what
 * changed, how many entries; each older one can be rolled back to after a
 * confirm step.
 */
export function VersionsPanel({ reloadKey, onRollback }: Props) {
  const { t, tError, lang } = useI18n();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [confirm, setConfirm] = useState<KBVersion | null>(null);

  useEffect(() => {
    let live = true;
    api.knowledgeBase(true).then(
      (kb) => live && setLoad({ status: 'ready', kb }),
      (err: unknown) => live && setLoad({ status: 'failed', error: api.toApiError(err) }),
    );
    return () => {
      live = false;
    };
  }, [reloadKey]);

  if (load.status === 'loading') {
    return (
      <section className="kb-versions" data-testid="kb-versions" aria-busy="true">
        <p className="floor-empty">{t('botreport.versions.loading')}</p>
      </section>
    );
  }
  if (load.status === 'failed') {
    return (
      <section className="kb-versions" data-testid="kb-versions">
        <div className="banner banner-error" role="alert" data-testid="kb-versions-error">
          {t('botreport.versions.failed', { reason: tError(load.error) })}
        </div>
      </section>
    );
  }
  const { kb } = load;
  const history = kb.history ?? [];
  return (
    <section className="kb-versions" data-testid="kb-versions" data-version={kb.version}>
      <h3 className="floor-section-title">{t('botreport.versions.title')}</h3>
      {history.length === 0 ? (
        <p className="floor-empty">{t('botreport.versions.empty')}</p>
      ) : (
        <table className="floor-table kb-versions-table">
          <thead>
            <tr>
              <th scope="col">{t('botreport.versions.version')}</th>
              <th scope="col">{t('botreport.versions.at')}</th>
              <th scope="col">{t('botreport.versions.author')}</th>
              <th scope="col">{t('botreport.versions.summary')}</th>
              <th scope="col">{t('botreport.versions.entries')}</th>
              <th scope="col" aria-label={t('botreport.versions.rollback')} />
            </tr>
          </thead>
          <tbody>
            {history.map((v) => (
              <tr key={v.version} data-testid="kb-version" data-version={v.version}>
                <td className="floor-num">v{v.version}</td>
                <td>{v.at > 0 ? formatDateTime(v.at, lang) : ''}</td>
                <td>{v.author}</td>
                <td className="kb-version-summary">{v.summary}</td>
                <td className="floor-num">{v.entries}</td>
                <td>
                  {v.version === kb.version ? (
                    <span className="badge badge-active" data-testid="kb-version-current">
                      {t('botreport.versions.current')}
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-secondary btn-small"
                      data-testid="kb-rollback"
                      data-version={v.version}
                      onClick={() => setConfirm(v)}
                    >
                      {t('botreport.versions.rollback')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirm && (
        <ConfirmDialog
          testId="rollback-dialog"
          title={t('botreport.rollback.title', { version: confirm.version })}
          body={t('botreport.rollback.body')}
          confirmLabel={t('botreport.rollback.ok')}
          onConfirm={() => onRollback(confirm.version, kb.version)}
          onClose={() => setConfirm(null)}
        />
      )}
    </section>
  );
}
