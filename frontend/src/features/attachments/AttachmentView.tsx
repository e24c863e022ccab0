import { useEffect, useState, useSyncExternalStore } from 'react';
import { toApiError, type Attachment, type Message } from '../../api';
import {
  downloadFile,
  fileDataURL,
  onDownloadProgress,
  type DownloadProgress,
} from '../../api/files';
import { useEscape } from '../../hooks/useEscape';
import { useI18n } from '../../i18n';
import {
  File,
  FileArchive,
  FileAudio,
  FileImage,
  FileSpreadsheet,
  FileText,
  Presentation,
} from 'lucide-react';
import { fileKind, formatBytes, formatDuration, fraction, type FileKind } from './format';

// SVG icons (lucide), so they show on every system, with or without an
// emoji font.
const fileIcons: Record<FileKind, typeof File> = {
  image: FileImage,
  audio: FileAudio,
  sheet: FileSpreadsheet,
  slides: Presentation,
  text: FileText,
  archive: FileArchive,
  other: File,
};

/**
 * MAX_INLINE_PIXELS is the largest image shown inline without a thumbnail.
 * The server makes no thumbnail of an image too big to decode within its
 * memory budget (a decompression bomb, or just a huge scan); decoding it
 * here would cost the app as much, so it is offered as a file instead.
 */
export const MAX_INLINE_PIXELS = 16_000_000;

/** Whether an image attachment is shown as a picture (else as a file to download). */
export function showsInline(a: Attachment): boolean {
  return Boolean(a.has_thumb) || (a.width ?? 0) * (a.height ?? 0) <= MAX_INLINE_PIXELS;
}

/** The body of an image, file or voice message: the attachment and its caption. */
export function AttachmentView({ m }: { m: Message }) {
  const a = m.attachment;
  const { t } = useI18n();
  if (!a) return <span className="msg-placeholder">{t('attach.missing')}</span>;
  return (
    <>
      {m.kind === 'image' && showsInline(a) ? (
        <ImageAttachment a={a} />
      ) : m.kind === 'voice' ? (
        <VoiceAttachment a={a} />
      ) : (
        <FileAttachment a={a} />
      )}
      {m.text && <div className="msg-caption">{m.text}</div>}
    </>
  );
}

/** Loads a data URL of a file while mounted; drops a stale answer. */
function useDataURL(fileID: string, thumb: boolean, enabled = true) {
  const key = `${fileID}:${thumb}`;
  // The answer is kept with the key it answers, so a new key reads as
  // loading without setting state in the effect, and a stale answer is dropped.
  const [state, setState] = useState<
    { key: string; status: 'ready'; url: string } | { key: string; status: 'failed' } | null
  >(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    fileDataURL(fileID, thumb).then(
      (url) => live && setState({ key, status: 'ready', url }),
      () => live && setState({ key, status: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, [fileID, thumb, enabled, key]);
  return state && state.key === key ? state : { status: 'loading' as const };
}

function ImageAttachment({ a }: { a: Attachment }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const thumb = useDataURL(a.id, Boolean(a.has_thumb));
  return (
    <>
      <button
        type="button"
        className="msg-image"
        data-testid="msg-image"
        title={a.name}
        aria-label={t('attach.enlarge', { name: a.name })}
        onClick={() => setOpen(true)}
      >
        {thumb.status === 'ready' ? (
          <img src={thumb.url} alt={a.name} />
        ) : (
          <span className="msg-image-placeholder">
            {thumb.status === 'failed' ? t('attach.imageFailed') : t('attach.loading')}
          </span>
        )}
      </button>
      {open && <ImageViewer a={a} onClose={() => setOpen(false)} />}
    </>
  );
}

/** The full image over the window; Escape or a click closes it. */
export function ImageViewer({ a, onClose }: { a: Attachment; onClose(): void }) {
  const { t } = useI18n();
  const full = useDataURL(a.id, false);
  useEscape(onClose);
  return (
    <div
      className="image-viewer"
      data-testid="image-viewer"
      role="dialog"
      aria-label={a.name}
      onClick={onClose}
    >
      {full.status === 'ready' ? (
        <img src={full.url} alt={a.name} />
      ) : (
        <span>{full.status === 'failed' ? t('attach.imageFailed') : t('attach.loading')}</span>
      )}
      <button type="button" className="btn btn-ghost image-viewer-close" onClick={onClose}>
        {t('attach.close')}
      </button>
    </div>
  );
}

type DownloadState =
  | { status: 'idle' }
  | { status: 'downloading'; received: number; size: number }
  | { status: 'done'; path: string }
  | { status: 'failed'; error: string };

// Downloads are kept by file id outside the rows: the transcript is
// virtualized, so a row scrolled away and back (or re-rendered when new
// messages arrive) still shows its download running or saved.
const downloads = new Map<string, DownloadState>();
const downloadListeners = new Set<() => void>();
let unlistenDownloads: (() => void) | null = null;
const IDLE: DownloadState = { status: 'idle' };

function setDownload(fileID: string, st: DownloadState): void {
  downloads.set(fileID, st);
  for (const l of downloadListeners) l();
}

// One listener for the app's life, started with the first file row: a
// download must be followed even while no row of it is drawn.
function subscribeDownloads(l: () => void): () => void {
  downloadListeners.add(l);
  unlistenDownloads ??= onDownloadProgress((p: DownloadProgress) => {
    if (p.error) setDownload(p.file_id, { status: 'failed', error: p.error });
    else if (p.done) setDownload(p.file_id, { status: 'done', path: p.path ?? '' });
    else setDownload(p.file_id, { status: 'downloading', received: p.received, size: p.size });
  });
  return () => {
    downloadListeners.delete(l);
  };
}

/** Forgets every download's state and stops listening (tests). */
export function clearDownloads(): void {
  downloads.clear();
  unlistenDownloads?.();
  unlistenDownloads = null;
}

function useDownload(fileID: string): DownloadState {
  return useSyncExternalStore(subscribeDownloads, () => downloads.get(fileID) ?? IDLE);
}

function FileAttachment({ a }: { a: Attachment }) {
  const { t, tError } = useI18n();
  const dl = useDownload(a.id);
  const start = async () => {
    setDownload(a.id, { status: 'downloading', received: 0, size: a.size });
    try {
      const p = await downloadFile(a.id, a.name);
      setDownload(a.id, p.done ? { status: 'done', path: p.path ?? '' } : IDLE);
    } catch (err) {
      setDownload(a.id, { status: 'failed', error: tError(toApiError(err)) });
    }
  };
  const progress = dl.status === 'downloading' ? fraction(dl.received, dl.size || a.size) : 0;
  return (
    <div className="msg-file" data-testid="msg-file" data-mime={a.mime}>
      <span className="msg-file-icon" aria-hidden="true" data-kind={fileKind(a.mime)}>
        {(() => {
          const Icon = fileIcons[fileKind(a.mime)];
          return <Icon size={28} strokeWidth={1.5} />;
        })()}
      </span>
      <span className="msg-file-meta">
        <span className="msg-file-name">{a.name}</span>
        <span className="msg-file-size">{formatBytes(a.size)}</span>
        {dl.status === 'downloading' && (
          <progress className="progress" value={progress} max={1} data-testid="file-progress" />
        )}
        {dl.status === 'done' && <span className="msg-file-saved">{t('attach.saved')}</span>}
        {dl.status === 'failed' && (
          <span className="msg-file-error" role="alert">
            {dl.error}
          </span>
        )}
      </span>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        data-testid="file-download"
        data-progress={progress.toFixed(2)}
        disabled={dl.status === 'downloading'}
        onClick={() => void start()}
      >
        {t('attach.download')}
      </button>
    </div>
  );
}

function VoiceAttachment({ a }: { a: Attachment }) {
  const { t } = useI18n();
  const [wanted, setWanted] = useState(false);
  const [pos, setPos] = useState(0);
  const src = useDataURL(a.id, false, wanted);
  const duration = a.duration_ms ?? 0;
  return (
    <div className="msg-voice" data-testid="msg-voice">
      {wanted && src.status === 'ready' ? (
        <audio
          src={src.url}
          controls
          autoPlay
          onTimeUpdate={(e) => setPos(e.currentTarget.currentTime * 1000)}
        />
      ) : (
        <button
          type="button"
          className="btn btn-ghost btn-small"
          data-testid="voice-play"
          onClick={() => setWanted(true)}
        >
          ▶ {t('attach.play')}
        </button>
      )}
      <span className="msg-voice-time">
        {wanted ? `${formatDuration(pos)} / ` : ''}
        {duration > 0 ? formatDuration(duration) : formatBytes(a.size)}
      </span>
      {wanted && src.status === 'failed' && <span role="alert">{t('attach.audioFailed')}</span>}
    </div>
  );
}
