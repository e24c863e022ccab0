import { describe, expect, it } from 'vitest';
import { filenameOf, TranscriptExporter, transcriptURL, type ExportEnv } from './export';

/** A fake of the server's transcript endpoints, answering by path. */
class FakeServer implements ExportEnv {
  calls: Array<{ url: string; method: string; auth: string; body: unknown }> = [];
  saved: Array<{ text: string; type: string; name: string }> = [];
  /** The next answers, in order; empty: 200 with a transcript. */
  answers: Response[] = [];
  fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const h = init.headers as Record<string, string>;
    this.calls.push({ url, method: init.method ?? 'GET', auth: h.Authorization ?? '', body: init.body ? JSON.parse(String(init.body)) : null });
    const next = this.answers.shift();
    if (next) return next;
    return new Response('<!DOCTYPE html><p>hi</p>', {
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Disposition': 'attachment; filename="transcript-20260301-c0ffee12.html"' },
    });
  };
  save = (blob: Blob, name: string): void => {
    void blob.text().then((text) => this.saved.push({ text, type: blob.type, name }));
  };
}

function source() {
  let n = 0;
  const src = { server: 'https://chat.example.com', rejected: 0, token: async () => `tok-${++n}`, tokenRejected: () => void src.rejected++ };
  return src;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('TranscriptExporter', () => {
  it('downloads with the visitor token and saves under the server’s file name', async () => {
    const srv = new FakeServer();
    const ex = new TranscriptExporter(source(), srv);
    expect(await ex.download('c/1', 'html', 'zh')).toEqual({ ok: true });
    await flush();
    expect(srv.calls).toEqual([
      { url: 'https://chat.example.com/api/v1/conversations/c%2F1/transcript?format=html&lang=zh', method: 'GET', auth: 'Bearer tok-1', body: null },
    ]);
    expect(srv.saved).toEqual([{ text: '<!DOCTYPE html><p>hi</p>', type: 'text/html; charset=utf-8', name: 'transcript-20260301-c0ffee12.html' }]);
  });

  it('renews a rejected token once, then reports the server’s code', async () => {
    const srv = new FakeServer();
    const src = source();
    const ex = new TranscriptExporter(src, srv);
    const unauth = () => new Response('{"error":{"code":"unauthenticated"}}', { status: 401 });
    srv.answers = [unauth(), unauth()];
    expect(await ex.download('c-1', 'text', 'en')).toEqual({ ok: false, code: 'unauthenticated' });
    expect(src.rejected).toBe(1);
    expect(srv.calls.map((c) => c.auth)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(srv.saved).toEqual([]);
  });

  it('emails to the address and says where it went', async () => {
    const srv = new FakeServer();
    const ex = new TranscriptExporter(source(), srv);
    srv.answers = [new Response('{"to":"a@example.org"}', { status: 200 })];
    expect(await ex.email('c-1', '  a@example.org ', 'en')).toEqual({ ok: true, to: 'a@example.org' });
    expect(srv.calls[0]).toEqual({
      url: 'https://chat.example.com/api/v1/conversations/c-1/transcript/email',
      method: 'POST',
      auth: 'Bearer tok-1',
      body: { lang: 'en', to: 'a@example.org' },
    });
  });

  it('passes the rate limit and email_unavailable on as codes', async () => {
    const srv = new FakeServer();
    const ex = new TranscriptExporter(source(), srv);
    srv.answers = [
      new Response('{"error":{"code":"rate_limited"}}', { status: 429 }),
      new Response('{"error":{"code":"email_unavailable"}}', { status: 501 }),
      new Response('oops', { status: 502 }),
    ];
    expect(await ex.email('c-1', 'a@example.org', 'zh')).toEqual({ ok: false, code: 'rate_limited' });
    expect(await ex.email('c-1', 'a@example.org', 'zh')).toEqual({ ok: false, code: 'email_unavailable' });
    expect(await ex.email('c-1', 'a@example.org', 'zh')).toEqual({ ok: false, code: 'http_502' });
  });

  it('reports a network failure', async () => {
    const ex = new TranscriptExporter(source(), { fetch: () => Promise.reject(new TypeError('offline')), save: () => {} });
    expect(await ex.download('c-1', 'html', 'zh')).toEqual({ ok: false, code: 'network' });
  });
});

describe('filenameOf', () => {
  it.each([
    ['attachment; filename="transcript-20260301-abc.html"', 'transcript-20260301-abc.html'],
    ['attachment; filename=transcript.txt', 'transcript.txt'],
    ['attachment; filename="../../etc/passwd"', 'fallback.html'],
    ['attachment; filename=".hidden"', 'fallback.html'],
    [null, 'fallback.html'],
  ])('%s → %s', (header, want) => {
    expect(filenameOf(header, 'fallback.html')).toBe(want);
  });

  it('builds the endpoint from the server', () => {
    expect(transcriptURL('http://h:1', 'a b')).toBe('http://h:1/api/v1/conversations/a%20b/transcript');
  });
});
