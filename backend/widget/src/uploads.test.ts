// Uploads drive the real tus-js-client (its browser build, as shipped)
// against FakeTusServer, an in-memory fake of the tus endpoints: see
// tusfake.ts for why a fake rather than a server or a stubbed XHR.

import { describe, expect, it } from 'vitest';
import type { Attachment, AttachmentKind } from './protocol';
import { FakeTusServer, MemoryUrlStorage, refusal } from './tusfake';
import { mediaType, Uploads, type UploadEvent, type UploadState } from './uploads';

const SERVER = 'http://127.0.0.1:8080';
const BASE = `${SERVER}/api/v1/uploads/`;

function fakeClient(conversationId: string | null = 'c-1') {
  const sent: Array<{ kind: AttachmentKind; attachment: Attachment }> = [];
  let tokens = 0;
  const client = {
    server: SERVER,
    transcript: { conversationId },
    token: async () => `tok-${tokens}`,
    tokenRejected: () => void tokens++,
    sendAttachment: (kind: AttachmentKind, attachment: Attachment) => {
      sent.push({ kind, attachment });
      return { ok: true };
    },
  };
  return { client, sent };
}

function setup(opts: { conversationId?: string | null; storage?: MemoryUrlStorage; server?: FakeTusServer } = {}) {
  const server = opts.server ?? new FakeTusServer(BASE);
  const storage = opts.storage ?? new MemoryUrlStorage();
  const { client, sent } = fakeClient(opts.conversationId === undefined ? 'c-1' : opts.conversationId);
  const uploads = new Uploads(client, { httpStack: server, urlStorage: storage, retryDelays: [0, 0, 0], chunkSize: 4 });
  const events: UploadEvent[] = [];
  uploads.on((e) => events.push({ item: { ...e.item }, prev: e.prev }));
  return { server, storage, uploads, sent, events };
}

function file(text: string, name: string, type: string): File {
  return new File([text], name, { type, lastModified: 1_700_000_000_000 });
}

/** until waits for tus-js-client's promises until the upload reaches a state. */
async function until(read: () => UploadState | undefined, status: UploadState['status']): Promise<UploadState> {
  for (let i = 0; i < 500; i++) {
    const s = read();
    if (s?.status === status) return s;
    await new Promise((r) => setTimeout(r, 0));
  }
  throw new Error(`upload never reached ${status}; it is ${JSON.stringify(read())}`);
}

describe('Uploads', () => {
  it('uploads with tus in chunks, reports progress and sends the file id', async () => {
    const t = setup();
    const item = t.uploads.add(file('hello, world!', 'report.pdf', 'application/pdf'), 'report.pdf');
    await until(() => item.state, 'done');

    const up = t.server.uploads.get('f1');
    expect(up?.metadata).toEqual({ conversation_id: 'c-1', filename: 'report.pdf', filetype: 'application/pdf' });
    expect(up?.auth).toBe('Bearer tok-0');
    expect(t.sent).toEqual([
      { kind: 'file', attachment: { id: 'f1', name: 'report.pdf', size: 13, mime: 'application/pdf' } },
    ]);
    // 13 bytes in chunks of 4: progress climbs through every chunk to 1.
    const progress = t.events
      .filter((e) => e.item.state.status === 'uploading')
      .map((e) => (e.item.state as { progress: number }).progress);
    expect(progress[progress.length - 1]).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.filter((p) => p > 0 && p < 1).length).toBeGreaterThanOrEqual(2);
    expect(t.uploads.list()).toHaveLength(0);
    // Finished: the fingerprint is gone, nothing to resume.
    expect(t.storage.entries.size).toBe(0);
  });

  it('sends images as image messages and voice as voice', async () => {
    const t = setup();
    const img = t.uploads.add(file('PNGDATA', 'a.png', 'image/png'), 'a.png');
    const voice = t.uploads.add(file('OGG', 'v.webm', 'audio/webm;codecs=opus'), 'v.webm', 'voice', 3210.4);
    await until(() => img.state, 'done');
    await until(() => voice.state, 'done');
    expect(t.sent.map((s) => [s.kind, s.attachment.mime])).toEqual(
      expect.arrayContaining([
        ['image', 'image/png'],
        ['voice', 'audio/webm'],
      ]),
    );
    // The recording's length travels as upload metadata; images have none.
    const metas = [...t.server.uploads.values()].map((u) => u.metadata);
    expect(metas.find((m) => m.filename === 'v.webm')?.duration_ms).toBe('3210');
    expect(metas.find((m) => m.filename === 'a.png')?.duration_ms).toBeUndefined();
  });

  it('resumes from the server offset after the link is cut', async () => {
    const t = setup();
    t.server.cutAfter = 2; // the first PATCH dies after the server took 2 bytes
    const item = t.uploads.add(file('0123456789', 'notes.txt', 'text/plain'), 'notes.txt');
    await until(() => item.state, 'done');
    expect(t.server.log).toContain('HEAD /f1');
    // After the HEAD, the next PATCH goes on from byte 2, not 0.
    const afterHead = t.server.log.slice(t.server.log.indexOf('HEAD /f1') + 1);
    expect(afterHead[0]).toBe('PATCH /f1');
    expect(t.server.log.filter((l) => l === 'POST /')).toHaveLength(1);
    expect(t.sent).toHaveLength(1);
  });

  it('resumes an upload cut off by a page reload from its stored fingerprint', async () => {
    const server = new FakeTusServer(BASE);
    const storage = new MemoryUrlStorage();
    const first = setup({ server, storage });
    server.hold = true;
    const f = file('abcdefghijkl', 'photo.jpg', 'image/jpeg');
    first.uploads.add(f, 'photo.jpg');
    await server.waitHeld();
    server.release();
    await server.waitHeld(); // second chunk in flight: 4 bytes stored
    first.uploads.destroy(); // the page goes away
    server.hold = false;
    server.release();
    expect(storage.entries.size).toBe(1);
    expect(server.uploads.get('f1')?.offset).toBe(4);

    // The reloaded page tells the customer, who picks the same file again.
    const second = setup({ server, storage });
    expect(await second.uploads.interrupted()).toEqual([{ name: 'photo.jpg', size: 12 }]);
    const item = second.uploads.add(f, 'photo.jpg');
    await until(() => item.state, 'done');
    expect(server.log.filter((l) => l === 'POST /')).toHaveLength(1);
    expect(second.sent).toEqual([
      { kind: 'image', attachment: { id: 'f1', name: 'photo.jpg', size: 12, mime: 'image/jpeg' } },
    ]);
  });

  it('does not resume another conversation’s upload of the same file', async () => {
    const server = new FakeTusServer(BASE);
    const storage = new MemoryUrlStorage();
    const a = setup({ server, storage });
    server.cutAfter = 0;
    a.uploads.add(file('abcdefgh', 'x.txt', 'text/plain'), 'x.txt');
    await new Promise((r) => setTimeout(r, 0));
    a.uploads.destroy();
    const b = setup({ server, storage, conversationId: 'c-2' });
    const item = b.uploads.add(file('abcdefgh', 'x.txt', 'text/plain'), 'x.txt');
    await until(() => item.state, 'done');
    expect(server.log.filter((l) => l === 'POST /').length).toBe(2);
    expect(server.uploads.get(b.sent[0].attachment.id)?.metadata.conversation_id).toBe('c-2');
  });

  it('cancels an upload in flight and deletes it on the server', async () => {
    const t = setup();
    t.server.hold = true;
    const item = t.uploads.add(file('abcdefghijkl', 'big.zip', 'application/zip'), 'big.zip');
    await t.server.waitHeld();
    t.uploads.cancel(item.key);
    expect(item.state).toEqual({ status: 'canceled' });
    expect(t.uploads.list()).toHaveLength(0);
    t.server.hold = false;
    t.server.release();
    for (let i = 0; i < 50; i++) await new Promise((r) => setTimeout(r, 0));
    expect(t.server.log).toContain('DELETE /f1');
    expect(t.server.uploads.size).toBe(0);
    expect(t.sent).toHaveLength(0);
  });

  it.each([
    ['file_too_large', refusal(413, 'file_too_large'), null],
    ['type_not_allowed', refusal(415, 'type_not_allowed'), null],
    ['type_not_allowed', { status: 415, body: 'unsupported media type' }, null],
    ['type_not_allowed', null, refusal(415, 'type_not_allowed')],
  ])('fails with %s (create %o, final %o) and sends nothing', async (want, create, final) => {
    const t = setup();
    t.server.refuseCreate = create;
    t.server.refuseFinal = final;
    const item = t.uploads.add(file('MZ....', 'tool.png', 'image/png'), 'tool.png');
    const st = await until(() => item.state, 'failed');
    expect(st).toEqual({ status: 'failed', code: want, retryable: false });
    expect(t.sent).toHaveLength(0);
    expect(t.server.log.filter((l) => l === 'POST /')).toHaveLength(1);
  });

  it('fails with not_ready before the conversation is known', () => {
    const t = setup({ conversationId: null });
    const item = t.uploads.add(file('x', 'a.txt', 'text/plain'), 'a.txt');
    expect(item.state).toEqual({ status: 'failed', code: 'not_ready', retryable: false });
    expect(t.server.log).toHaveLength(0);
  });

  it('retries a network failure from where the server stopped', async () => {
    const t = setup();
    const up = new Uploads(fakeClient().client, { httpStack: t.server, urlStorage: t.storage, retryDelays: [], chunkSize: 4 });
    t.server.cutAfter = 4;
    const item = up.add(file('abcdefgh', 'n.txt', 'text/plain'), 'n.txt');
    expect(await until(() => item.state, 'failed')).toEqual({ status: 'failed', code: 'network', retryable: true });
    up.retry(item.key);
    await until(() => item.state, 'done');
    expect(t.server.log.filter((l) => l === 'POST /')).toHaveLength(1);
    expect(t.server.log).toContain('HEAD /f1');
  });
});

describe('mediaType', () => {
  it.each([
    ['audio/webm;codecs=opus', 'audio/webm'],
    ['IMAGE/PNG', 'image/png'],
    ['', 'application/octet-stream'],
  ])('mediaType(%s) = %s', (in_, want) => {
    expect(mediaType(in_)).toBe(want);
  });
});
