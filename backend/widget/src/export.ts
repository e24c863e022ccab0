// The customer's copy of their conversation: the server renders it
// (docs/protocol.md "Transcripts"); this downloads it with the visitor
// token in an Authorization header, as files are, and asks for it by email.

import { errorCode, type FileSource } from './files';

/** TranscriptFormat is a format of the downloaded transcript. */
export type TranscriptFormat = 'html' | 'text';

/** ExportEnv is the browser's part: fetch, and saving a blob as a file. */
export interface ExportEnv {
  fetch(url: string, init: RequestInit): Promise<Response>;
  save(blob: Blob, filename: string): void;
}

/** ExportResult is how a download or an email ended: ok, or an error code (http_<status> without one). */
export type ExportResult = { ok: true; to?: string } | { ok: false; code: string };

/** transcriptURL is where a conversation's transcript is served. */
export function transcriptURL(server: string, conversationId: string): string {
  return `${server}/api/v1/conversations/${encodeURIComponent(conversationId)}/transcript`;
}

/**
 * filenameOf reads the file name of a Content-Disposition header, falling
 * back when there is none; only letters, digits, '.', '-' and '_' are kept.
 */
export function filenameOf(disposition: string | null, fallback: string): string {
  const m = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  const name = (m?.[1] ?? '').replace(/[^A-Za-z0-9._-]/g, '');
  return name && !name.startsWith('.') ? name : fallback;
}

/** TranscriptExporter downloads and emails the customer's transcript. */
export class TranscriptExporter {
  private readonly src: FileSource;
  private readonly env: ExportEnv;

  constructor(src: FileSource, env: ExportEnv) {
    this.src = src;
    this.env = env;
  }

  /** download fetches the transcript in format and lang and saves it. */
  async download(conversationId: string, format: TranscriptFormat, lang: 'zh' | 'en'): Promise<ExportResult> {
    const url = `${transcriptURL(this.src.server, conversationId)}?format=${format}&lang=${lang}`;
    const res = await this.call(url, { method: 'GET' });
    if (!res.ok) return res;
    const blob = await res.res.blob();
    const fallback = `transcript.${format === 'html' ? 'html' : 'txt'}`;
    this.env.save(blob, filenameOf(res.res.headers.get('Content-Disposition'), fallback));
    return { ok: true };
  }

  /**
   * email asks the server to send the transcript to the address to (empty:
   * the verified email of a signed-in customer).
   */
  async email(conversationId: string, to: string, lang: 'zh' | 'en'): Promise<ExportResult> {
    const body: Record<string, string> = { lang };
    if (to.trim()) body.to = to.trim();
    const res = await this.call(`${transcriptURL(this.src.server, conversationId)}/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) return res;
    try {
      const v = (await res.res.json()) as { to?: unknown };
      return { ok: true, to: typeof v?.to === 'string' ? v.to : undefined };
    } catch {
      return { ok: true };
    }
  }

  /** call sends a request with the visitor token; a rejected token is renewed once. */
  private async call(url: string, init: RequestInit): Promise<{ ok: true; res: Response } | { ok: false; code: string }> {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        const token = await this.src.token();
        res = await this.env.fetch(url, {
          ...init,
          headers: { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` },
          credentials: 'omit',
        });
      } catch {
        return { ok: false, code: 'network' };
      }
      if (res.ok) return { ok: true, res };
      if (res.status === 401 && attempt === 0) {
        this.src.tokenRejected();
        continue;
      }
      return { ok: false, code: await errorCode(res) };
    }
  }
}

/** browserSave saves a blob through a temporary link with the download attribute. */
export function browserSave(doc: Document): (blob: Blob, filename: string) => void {
  return (blob, filename) => {
    const url = URL.createObjectURL(blob);
    const a = doc.createElement('a');
    a.href = url;
    a.download = filename;
    a.rel = 'noopener';
    a.style.display = 'none';
    doc.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
}
