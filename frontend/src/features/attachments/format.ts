// Small formatting helpers of attachments.

/** A byte count for people: 512 B, 1.2 KB, 3.4 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

/** A duration in milliseconds as m:ss. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The kind of icon a media type gets. */
export type FileKind = 'image' | 'audio' | 'sheet' | 'slides' | 'text' | 'archive' | 'other';

/** Sorts a media type into the icon it gets. */
export function fileKind(mime: string): FileKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.includes('spreadsheet') || mime.includes('excel') || mime === 'text/csv') return 'sheet';
  if (mime.includes('presentation') || mime.includes('powerpoint')) return 'slides';
  if (
    mime === 'application/pdf' ||
    mime.includes('word') ||
    mime.includes('document') ||
    mime.startsWith('text/')
  )
    return 'text';
  if (mime === 'application/zip') return 'archive';
  return 'other';
}

/** A fraction 0..1 of done over total (0 when the total is unknown). */
export function fraction(done: number, total: number): number {
  return total > 0 ? Math.min(1, done / total) : 0;
}
