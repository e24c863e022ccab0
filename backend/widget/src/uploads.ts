// Sending files: each file is uploaded with tus (resumable: a cut link is
// resumed from the server's offset, and an upload cut off by a page reload
// resumes from the fingerprint tus-js-client stored when the customer picks
// the same file again), then sent as an image, file or voice message.
//
// Every upload's state is data (UploadState) changed in one place, setState,
// which tells the listeners the old and the new state.

import {
  defaultOptions,
  DetailedError,
  Upload,
  type HttpStack,
  type HttpRequest,
  type PreviousUpload,
  type UploadOptions,
  type UrlStorage,
} from 'tus-js-client';
import { attachmentKind } from './files';
import type { Attachment, AttachmentKind } from './protocol';
import { UPLOADS_PATH } from './protocol';

/**
 * UploadState is where one upload stands. progress is 0–1. A failed upload
 * has an error code of the server (file_too_large, type_not_allowed, …), or
 * network (the link stayed down through every retry) or not_ready (no
 * conversation yet); retryable ones can be started again.
 */
export type UploadState =
  | { status: 'uploading'; progress: number }
  | { status: 'failed'; code: string; retryable: boolean }
  | { status: 'done'; attachment: Attachment }
  | { status: 'canceled' };

/** UploadItem is one file being sent. */
export interface UploadItem {
  /** Local id, for the view's rows. */
  key: string;
  name: string;
  size: number;
  mime: string;
  kind: AttachmentKind;
  state: UploadState;
}

/** UploadEvent tells listeners an upload's state changed. */
export interface UploadEvent {
  item: UploadItem;
  prev: UploadState | null;
}

/** UploadClient is what uploads need of the chat client. */
export interface UploadClient {
  readonly server: string;
  readonly transcript: { readonly conversationId: string | null };
  token(): Promise<string>;
  tokenRejected(): void;
  sendAttachment(kind: AttachmentKind, attachment: Attachment, caption?: string): { ok: boolean };
}

/** UploadsOptions replaces tus-js-client's defaults (tests use fakes). */
export interface UploadsOptions {
  httpStack?: HttpStack;
  urlStorage?: UrlStorage;
  retryDelays?: number[];
  chunkSize?: number;
}

/** A tus upload as Uploads drives it. */
type Tus = Pick<Upload, 'start' | 'abort' | 'findPreviousUploads' | 'resumeFromPreviousUpload' | 'url'>;

const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000];

/** Codes of a refused upload, by HTTP status, when the body names none. */
const STATUS_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'upload_not_found',
  409: 'illegal_transition',
  413: 'file_too_large',
  415: 'type_not_allowed',
  429: 'rate_limited',
};

/** mediaType drops the parameters of a type ("audio/webm;codecs=opus" → "audio/webm"). */
export function mediaType(t: string): string {
  return (t.split(';')[0] ?? '').trim().toLowerCase() || 'application/octet-stream';
}

/** uploadError turns a tus-js-client error into a code and whether trying again may help. */
export function uploadError(err: unknown): { code: string; retryable: boolean } {
  const res = err instanceof DetailedError ? err.originalResponse : null;
  if (!res) return { code: 'network', retryable: true };
  const status = res.getStatus();
  let code = '';
  try {
    const body = JSON.parse(res.getBody()) as { error?: { code?: unknown; retryable?: unknown } };
    if (typeof body?.error?.code === 'string') code = body.error.code;
  } catch {
    // tusd answers some protocol errors as text.
  }
  if (!code) code = STATUS_CODES[status] ?? (status >= 500 ? 'internal' : `http_${status}`);
  return { code, retryable: status >= 500 || status === 429 };
}

/** Uploads sends the customer's files. */
export class Uploads {
  private readonly client: UploadClient;
  private readonly opts: UploadsOptions;
  private items: UploadItem[] = [];
  private tus = new Map<string, Tus>();
  private listeners = new Set<(e: UploadEvent) => void>();
  private seq = 0;

  constructor(client: UploadClient, opts: UploadsOptions = {}) {
    this.client = client;
    this.opts = opts;
  }

  /** endpoint is the tus creation URL. */
  get endpoint(): string {
    return `${this.client.server}${UPLOADS_PATH}`;
  }

  /** list is the uploads not yet finished or dismissed, oldest first. */
  list(): readonly UploadItem[] {
    return this.items;
  }

  /** on subscribes to state changes and returns the teardown. */
  on(fn: (e: UploadEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * add uploads a file and sends it as kind (by default image for the
   * image types, else file). It resumes an earlier upload of the same file
   * to the same conversation that was cut off. durationMS is a voice
   * recording's length, shown by the players.
   */
  add(file: File | Blob, name: string, kind?: AttachmentKind, durationMS?: number): UploadItem {
    const mime = mediaType(file.type);
    const item: UploadItem = {
      key: `u${++this.seq}`,
      name,
      size: file.size,
      mime,
      kind: kind ?? attachmentKind(mime),
      state: { status: 'uploading', progress: 0 },
    };
    this.items.push(item);
    this.emit({ item, prev: null });
    const conversationId = this.client.transcript.conversationId;
    if (!conversationId) {
      this.setState(item, { status: 'failed', code: 'not_ready', retryable: false });
      return item;
    }
    const up = this.create(item, file, conversationId, durationMS);
    this.tus.set(item.key, up);
    up.findPreviousUploads()
      .then((prev) => {
        if (prev.length) up.resumeFromPreviousUpload(newest(prev));
      })
      .catch(() => {
        // No stored uploads: start afresh.
      })
      .finally(() => {
        if (item.state.status === 'uploading') up.start();
      });
    return item;
  }

  /** cancel stops an upload and deletes what the server holds of it. */
  cancel(key: string): void {
    const item = this.items.find((i) => i.key === key);
    if (!item || item.state.status === 'done' || item.state.status === 'canceled') return;
    const up = this.tus.get(key);
    this.tus.delete(key);
    this.remove(item);
    this.setState(item, { status: 'canceled' });
    if (up) void up.abort(true).catch(() => {});
  }

  /** retry starts a failed upload again, from where the server has it. */
  retry(key: string): void {
    const item = this.items.find((i) => i.key === key);
    const up = this.tus.get(key);
    if (!item || !up || item.state.status !== 'failed' || !item.state.retryable) return;
    this.setState(item, { status: 'uploading', progress: 0 });
    up.start();
  }

  /** dismiss forgets a failed upload. */
  dismiss(key: string): void {
    const item = this.items.find((i) => i.key === key);
    if (!item || item.state.status !== 'failed') return;
    const up = this.tus.get(key);
    this.tus.delete(key);
    this.remove(item);
    this.emit({ item, prev: item.state });
    // Keep the stored fingerprint: picking the file again resumes it.
    if (up) void up.abort(false).catch(() => {});
  }

  /**
   * interrupted lists the uploads to the conversation that a page reload
   * cut off: picking the same file again resumes them.
   */
  async interrupted(): Promise<Array<{ name: string; size: number }>> {
    const id = this.client.transcript.conversationId;
    const storage = this.opts.urlStorage ?? defaultOptions.urlStorage;
    if (!id) return [];
    try {
      const all = await storage.findAllUploads();
      return all
        .filter((p) => p.metadata?.conversation_id === id && p.metadata?.filename)
        .map((p) => ({ name: p.metadata.filename, size: p.size ?? 0 }));
    } catch {
      return [];
    }
  }

  /** destroy stops every upload, keeping their fingerprints for a resume. */
  destroy(): void {
    for (const up of this.tus.values()) void up.abort(false).catch(() => {});
    this.tus.clear();
    this.items = [];
    this.listeners.clear();
  }

  private create(item: UploadItem, file: File | Blob, conversationId: string, durationMS?: number): Tus {
    let tokenRetries = 0;
    const metadata: Record<string, string> = { conversation_id: conversationId, filename: item.name, filetype: item.mime };
    if (durationMS && durationMS > 0) metadata.duration_ms = String(Math.round(durationMS));
    const options: UploadOptions = {
      endpoint: this.endpoint,
      metadata,
      retryDelays: this.opts.retryDelays ?? RETRY_DELAYS,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      // One conversation's upload must not resume into another's: the
      // server would refuse it anyway.
      fingerprint: async () =>
        ['switchboard', this.endpoint, conversationId, item.name, item.mime, item.size, lastModified(file)].join('|'),
      onBeforeRequest: async (req: HttpRequest) => {
        req.setHeader('Authorization', `Bearer ${await this.client.token()}`);
      },
      onShouldRetry: (err, attempt, o) => {
        const status = err.originalResponse?.getStatus() ?? 0;
        if (status === 401 && tokenRetries++ < 1) {
          this.client.tokenRejected();
          return true;
        }
        // 409 is a PATCH at the wrong offset (tus asks for it again); on
        // creation it is a closed conversation.
        if (status === 409 && err.originalRequest?.getMethod() !== 'PATCH') return false;
        if (status >= 400 && status < 500 && status !== 409 && status !== 423 && status !== 429) return false;
        return attempt < (o.retryDelays?.length ?? 0);
      },
      onProgress: (sent, total) => {
        if (item.state.status !== 'uploading') return;
        const progress = total > 0 ? sent / total : 0;
        if (progress !== item.state.progress) this.setState(item, { status: 'uploading', progress });
      },
      onSuccess: ({ lastResponse }) => {
        if (item.state.status !== 'uploading') return;
        this.tus.delete(item.key);
        const id = lastResponse?.getHeader('Upload-File-Id') || lastPart(up.url);
        const attachment: Attachment = { id, name: item.name, size: item.size, mime: item.mime };
        this.remove(item);
        this.setState(item, { status: 'done', attachment });
        this.client.sendAttachment(item.kind, attachment);
      },
      onError: (err) => {
        if (item.state.status !== 'uploading') return;
        const { code, retryable } = uploadError(err);
        this.setState(item, { status: 'failed', code, retryable });
      },
    };
    if (this.opts.httpStack) options.httpStack = this.opts.httpStack;
    if (this.opts.urlStorage) options.urlStorage = this.opts.urlStorage;
    if (this.opts.chunkSize) options.chunkSize = this.opts.chunkSize;
    const up = new Upload(file, options);
    return up;
  }

  private setState(item: UploadItem, next: UploadState): void {
    const prev = item.state;
    item.state = next;
    this.emit({ item, prev });
  }

  private remove(item: UploadItem): void {
    this.items = this.items.filter((i) => i !== item);
  }

  private emit(e: UploadEvent): void {
    for (const fn of [...this.listeners]) {
      try {
        fn(e);
      } catch {
        // One broken listener must not stop the others.
      }
    }
  }
}

function newest(list: PreviousUpload[]): PreviousUpload {
  return [...list].sort((a, b) => String(b.creationTime).localeCompare(String(a.creationTime)))[0];
}

function lastPart(url: string | null): string {
  if (!url) return '';
  const path = url.split(/[?#]/)[0].replace(/\/+$/, '');
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

function lastModified(f: File | Blob): number {
  return 'lastModified' in f && typeof f.lastModified === 'number' ? f.lastModified : 0;
}
