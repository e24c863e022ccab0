// A fake of the server's tus endpoints (/api/v1/uploads/), plugged into
// tus-js-client as its HttpStack. The tests use it instead of a real
// server or stubbed XMLHttpRequest because it lets them cut the link after
// a given number of bytes, refuse like the server does (413, 415 with a
// JSON body), and look at what the server holds — while the real
// tus-js-client still does everything it does in the browser: creation,
// HEAD after a cut, PATCH from the server's offset, fingerprints.

import type { HttpRequest, HttpResponse, HttpStack, PreviousUpload, UrlStorage } from 'tus-js-client';

interface Stored {
  length: number;
  offset: number;
  metadata: Record<string, string>;
  auth: string;
  done: boolean;
}

/** Refusal is an answer the fake gives instead of doing its job. */
export interface Refusal {
  status: number;
  body: string;
}

/** FakeTusServer answers tus requests from memory. */
export class FakeTusServer implements HttpStack {
  readonly base: string;
  readonly uploads = new Map<string, Stored>();
  readonly log: string[] = [];
  /** Cut the link once, after the server took this many bytes of the next PATCH. */
  cutAfter: number | null = null;
  /** Refuse the next POST with this. */
  refuseCreate: Refusal | null = null;
  /** Refuse the final PATCH with this (content sniffing). */
  refuseFinal: Refusal | null = null;
  /** Hold every PATCH until release() (to look at an upload in flight). */
  hold = false;
  private held: Array<() => void> = [];
  private nextID = 1;

  constructor(base: string) {
    this.base = base;
  }

  getName(): string {
    return 'fake-tus';
  }

  createRequest(method: string, url: string): HttpRequest {
    return new FakeRequest(this, method, url);
  }

  /** release lets held PATCH requests through. */
  release(): void {
    const h = this.held;
    this.held = [];
    for (const fn of h) fn();
  }

  /** waitHeld resolves once a PATCH is held. */
  async waitHeld(): Promise<void> {
    for (let i = 0; i < 200 && this.held.length === 0; i++) await new Promise((r) => setTimeout(r, 0));
  }

  async handle(req: FakeRequest, body: unknown): Promise<HttpResponse> {
    const method = req.getMethod();
    const url = req.getURL();
    const auth = req.getHeader('Authorization') ?? '';
    this.log.push(`${method} /${url.startsWith(this.base) ? url.slice(this.base.length) : url}`);
    if (!auth.startsWith('Bearer ')) return json(401, 'unauthenticated');
    if (method === 'POST') {
      if (this.refuseCreate) {
        const r = this.refuseCreate;
        this.refuseCreate = null;
        return new FakeResponse(r.status, r.body, {});
      }
      const id = `f${this.nextID++}`;
      this.uploads.set(id, {
        length: Number(req.getHeader('Upload-Length')),
        offset: 0,
        metadata: parseMetadata(req.getHeader('Upload-Metadata') ?? ''),
        auth,
        done: false,
      });
      return new FakeResponse(201, '', { Location: `${this.base}${id}` });
    }
    const id = url.slice(this.base.length);
    const up = this.uploads.get(id);
    if (!up || up.done || up.auth !== auth) return json(404, 'upload_not_found');
    if (method === 'HEAD') {
      return new FakeResponse(200, '', { 'Upload-Offset': String(up.offset), 'Upload-Length': String(up.length) });
    }
    if (method === 'DELETE') {
      this.uploads.delete(id);
      return new FakeResponse(204, '', {});
    }
    if (method === 'PATCH') {
      if (this.hold) await new Promise<void>((r) => this.held.push(r));
      if (Number(req.getHeader('Upload-Offset')) !== up.offset) return new FakeResponse(409, 'offset mismatch', {});
      const size = body instanceof Blob ? body.size : 0;
      if (this.cutAfter !== null) {
        const took = Math.min(this.cutAfter, size);
        this.cutAfter = null;
        up.offset += took;
        throw new Error('network cut');
      }
      up.offset += size;
      if (up.offset >= up.length) {
        if (this.refuseFinal) {
          const r = this.refuseFinal;
          this.refuseFinal = null;
          this.uploads.delete(id);
          return new FakeResponse(r.status, r.body, {});
        }
        up.done = true;
        return new FakeResponse(204, '', { 'Upload-Offset': String(up.offset), 'Upload-File-Id': id });
      }
      return new FakeResponse(204, '', { 'Upload-Offset': String(up.offset) });
    }
    return new FakeResponse(405, '', {});
  }
}

class FakeRequest implements HttpRequest {
  private headers: Record<string, string> = {};
  private aborted = false;

  constructor(
    private readonly server: FakeTusServer,
    private readonly method: string,
    private readonly url: string,
  ) {}

  getMethod(): string {
    return this.method;
  }
  getURL(): string {
    return this.url;
  }
  setHeader(h: string, v: string): void {
    this.headers[h.toLowerCase()] = v;
  }
  getHeader(h: string): string | undefined {
    return this.headers[h.toLowerCase()];
  }
  setProgressHandler(): void {}
  async send(body: unknown): Promise<HttpResponse> {
    const res = await this.server.handle(this, body);
    if (this.aborted) throw new Error('request aborted');
    return res;
  }
  async abort(): Promise<void> {
    this.aborted = true;
  }
  getUnderlyingObject(): unknown {
    return null;
  }
}

class FakeResponse implements HttpResponse {
  constructor(
    private readonly status: number,
    private readonly body: string,
    private readonly headers: Record<string, string>,
  ) {}
  getStatus(): number {
    return this.status;
  }
  getHeader(h: string): string | undefined {
    const k = Object.keys(this.headers).find((x) => x.toLowerCase() === h.toLowerCase());
    return k ? this.headers[k] : undefined;
  }
  getBody(): string {
    return this.body;
  }
  getUnderlyingObject(): unknown {
    return null;
  }
}

function json(status: number, code: string): FakeResponse {
  return new FakeResponse(status, JSON.stringify({ error: { code, message: code, retryable: false } }), {
    'Content-Type': 'application/json',
  });
}

/** refusal is the server's JSON error answer. */
export function refusal(status: number, code: string): Refusal {
  return { status, body: JSON.stringify({ error: { code, message: code, retryable: false } }) };
}

function parseMetadata(h: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of h.split(',')) {
    const [k, v] = pair.trim().split(' ');
    if (!k) continue;
    out[k] = v ? new TextDecoder().decode(Uint8Array.from(atob(v), (c) => c.charCodeAt(0))) : '';
  }
  return out;
}

/**
 * MemoryUrlStorage is tus-js-client's URL storage kept in a Map, shared by
 * two Uploads instances the way localStorage is shared across a reload.
 */
export class MemoryUrlStorage implements UrlStorage {
  readonly entries = new Map<string, { fingerprint: string; upload: PreviousUpload }>();
  private n = 0;

  async findAllUploads(): Promise<PreviousUpload[]> {
    return [...this.entries.values()].map((e) => e.upload);
  }
  async findUploadsByFingerprint(fp: string): Promise<PreviousUpload[]> {
    return [...this.entries.values()].filter((e) => e.fingerprint === fp).map((e) => e.upload);
  }
  async removeUpload(key: string): Promise<void> {
    this.entries.delete(key);
  }
  async addUpload(fp: string, upload: PreviousUpload): Promise<string> {
    const key = `tus::${fp}::${++this.n}`;
    this.entries.set(key, { fingerprint: fp, upload: { ...upload, urlStorageKey: key } });
    return key;
  }
}
