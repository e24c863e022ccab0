import { ApiError } from '../../api';
import { cancelUpload } from '../../api/files';
import { useI18n } from '../../i18n';
import { fraction } from './format';
import type { UploadItem } from './useUploads';

/** The composer's uploads: a progress bar and a cancel button each. */
export function UploadList({
  items,
  onDismiss,
}: {
  items: UploadItem[];
  onDismiss(id: string): void;
}) {
  const { t, tError } = useI18n();
  if (items.length === 0) return null;
  return (
    <ul className="upload-list">
      {items.map((u) => {
        const progress = u.status === 'uploading' ? fraction(u.sent, u.size) : 0;
        return (
          <li
            key={u.id}
            className={`upload-item upload-${u.status}`}
            data-testid="upload-item"
            data-progress={progress.toFixed(2)}
            data-status={u.status}
          >
            <span className="upload-name">{u.name}</span>
            {u.status === 'uploading' ? (
              <progress
                className="progress"
                value={progress}
                max={1}
                aria-label={t('attach.uploading', { name: u.name })}
              />
            ) : (
              <span className="upload-error" role="alert">
                {tError(new ApiError(u.code, u.message))}
              </span>
            )}
            <button
              type="button"
              className="btn btn-ghost btn-small"
              data-testid="upload-cancel"
              aria-label={t('attach.cancel')}
              title={t('attach.cancel')}
              onClick={() =>
                u.status === 'uploading' ? void cancelUpload(u.id).catch(() => {}) : onDismiss(u.id)
              }
            >
              ✕
            </button>
          </li>
        );
      })}
    </ul>
  );
}
