// Files of image, file and voice messages are served only with the visitor
// token in an Authorization header (never a cookie or a token in the URL),
// so an <img src> cannot load them: they are fetched here into blob URLs.

import { FILES_PATH } from './protocol';

/** FileSource is what the fetcher needs of the client. */
export interface FileSource {
  readonly server: string;
  token(): Promise<string>;
  tokenRejected(): void;
}

/** FileEnv is the browser's part: fetch and blob URLs. */
export interface FileEnv {
  fetch(url: string, init: RequestInit): Promise<Response>;
  createObjectURL(b: Blob): string;
  revokeObjectURL(url: string): void;
}

/** FileError is a failed download: an error code of the server or http_<status>. */
export class FileError extends Error {
  readonly code: string;
  constructor(code: string) {
    super(`file download: ${code}`);
    this.code = code;
  }
}

/** fileURL is where a file's content, or its thumbnail, is served. */
export function fileURL(server: string, id: string, thumb = false): string {
  return `${server}${FILES_PATH}${encodeURIComponent(id)}${thumb ? '/thumb' : ''}`;
}

/**
 * FileFetcher downloads files with the visitor token and keeps one blob
 * URL per file and variant for the page's lifetime (the transcript shows
 * the same image again after a re-render), until destroy revokes them.
 */
export class FileFetcher {
  private readonly src: FileSource;
  private readonly env: FileEnv;
  private cache = new Map<string, Promise<string>>();
  private urls: string[] = [];

  constructor(src: FileSource, env: FileEnv) {
    this.src = src;
    this.env = env;
  }

  /** url resolves to a blob URL of the file (or its thumbnail). */
  url(id: string, thumb = false): Promise<string> {
    const key = `${id}${thumb ? ':thumb' : ''}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.blob(id, thumb).then((b) => {
        const u = this.env.createObjectURL(b);
        this.urls.push(u);
        return u;
      });
      // A failure is not cached: the next look tries again.
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return p;
  }

  /** blob downloads the content; a rejected token is renewed once. */
  async blob(id: string, thumb = false): Promise<Blob> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.src.token();
      const res = await this.env.fetch(fileURL(this.src.server, id, thumb), {
        headers: { Authorization: `Bearer ${token}` },
        credentials: 'omit',
      });
      if (res.ok) return res.blob();
      if (res.status === 401 && attempt === 0) {
        this.src.tokenRejected();
        continue;
      }
      throw new FileError(await errorCode(res));
    }
  }

  /** destroy revokes every blob URL made. */
  destroy(): void {
    for (const u of this.urls) this.env.revokeObjectURL(u);
    this.urls = [];
    this.cache.clear();
  }
}

/** errorCode reads {"error":{"code"}} from an HTTP error answer. */
export async function errorCode(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { code?: unknown } };
    if (typeof body?.error?.code === 'string') return body.error.code;
  } catch {
    // Not JSON.
  }
  return `http_${res.status}`;
}

/** formatSize shows a byte count as people read it. */
export function formatSize(n: number): string {
  if (!(n >= 0)) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** formatDuration shows milliseconds as m:ss. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round((Number.isFinite(ms) ? ms : 0) / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** fileBadge is the short type label drawn on a file's icon. */
export function fileBadge(mime: string, name: string): string {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toUpperCase() ?? '';
  if (mime === 'application/pdf') return 'PDF';
  if (/wordprocessing|msword|opendocument\.text/.test(mime)) return 'DOC';
  if (/spreadsheet|ms-excel|text\/csv/.test(mime)) return ext === 'CSV' ? 'CSV' : 'XLS';
  if (/presentation|powerpoint/.test(mime)) return 'PPT';
  if (/zip/.test(mime)) return 'ZIP';
  if (mime.startsWith('image/')) return 'IMG';
  if (mime.startsWith('audio/')) return 'AUD';
  if (mime.startsWith('text/')) return 'TXT';
  return ext || 'FILE';
}

/**
 * attachmentKind is the message kind a file is sent as: image for the
 * image types, voice for audio recorded here, file for the rest.
 */
export function attachmentKind(mime: string): 'image' | 'file' {
  return /^image\/(png|jpeg|gif|webp)$/.test(mime) ? 'image' : 'file';
}
