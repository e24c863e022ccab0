// The widget's rich messages: image, file, voice and card rendering, card
// actions as frames, the uploads tray (progress, cancel, errors) and voice
// recording. Uploads go through the real tus-js-client to FakeTusServer
// (tusfake.ts says why a fake).

import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient } from './client';
import type { FileEnv } from './files';
import { STRINGS, type Locale } from './i18n';
import type { Message, SendData } from './protocol';
import type { MediaEnv } from './recorder';
import { conversation, FakeEnv, msg, settle, type FakeSocket } from './testutil';
import { FakeTusServer, MemoryUrlStorage, refusal } from './tusfake';
import { WidgetView } from './view';

const SERVER = 'http://127.0.0.1:8080';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup) fn();
  cleanup = [];
});

/** FakeFiles serves file downloads and records blob URLs. */
class FakeFiles implements FileEnv {
  calls: Array<{ url: string; auth: string }> = [];
  made: string[] = [];
  revoked: string[] = [];
  status = 200;
  fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const auth = (init.headers as Record<string, string>).Authorization ?? '';
    this.calls.push({ url, auth });
    if (this.status !== 200) {
      return new Response(JSON.stringify({ error: { code: 'not_found', message: '', retryable: false } }), { status: this.status });
    }
    return new Response(new Blob([`content of ${url}`]), { status: 200 });
  };
  createObjectURL = (b: Blob): string => {
    const u = `blob:fake/${this.made.length + 1}-${b.size}`;
    this.made.push(u);
    return u;
  };
  revokeObjectURL = (u: string): void => void this.revoked.push(u);
}

function mount(locale: Locale = 'zh', media: MediaEnv | null = null, urlStorage = new MemoryUrlStorage()) {
  const env = new FakeEnv();
  const client = new ChatClient({ server: SERVER, ext: {}, locale }, env);
  const container = document.createElement('div');
  document.body.appendChild(container);
  const files = new FakeFiles();
  const tus = new FakeTusServer(`${SERVER}/api/v1/uploads/`);
  const opened: string[] = [];
  const view = new WidgetView(client, {
    strings: STRINGS[locale],
    locale,
    container,
    onFirstOpen: () => client.start(),
    fileEnv: files,
    uploads: { httpStack: tus, urlStorage, retryDelays: [], chunkSize: 4 },
    media,
    openURL: (u) => void opened.push(u),
  });
  cleanup.push(() => {
    client.stop();
    view.destroy();
    container.remove();
  });
  const q = <T extends Element = HTMLElement>(id: string, root: ParentNode = container) =>
    root.querySelector(`[data-testid="${id}"]`) as T;
  const qa = <T extends Element = HTMLElement>(id: string, root: ParentNode = container) => [
    ...root.querySelectorAll<T>(`[data-testid="${id}"]`),
  ];
  return { env, client, view, container, q, qa, files, tus, opened };
}

async function openOnline(m: ReturnType<typeof mount>) {
  m.q<HTMLButtonElement>('sb-launcher').click();
  await settle();
  const s = m.env.socket;
  s.accept();
  s.receive({ type: 'welcome', id: s.last('hello').id, data: { session_id: 's', user: { id: 'v', role: 'customer', name: '' }, server_time: 0, heartbeat_ms: 0, conversations: [] } });
  s.receive({ type: 'conversation', id: s.last('open').id, data: conversation('c-1', { state: 'active', assignee_name: 'Alice' }) });
  return s;
}

const agent = { role: 'agent', id: 'a-1', name: 'Alice' };

function push(s: FakeSocket, m: Message) {
  s.receive({ type: 'message', data: m });
}

async function flush() {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
}

describe('rich messages', () => {
  it('shows an image thumbnail fetched with the visitor token and enlarges it; Esc closes', async () => {
    const m = mount();
    const s = await openOnline(m);
    push(s, msg(1, { sender: agent, kind: 'image', text: '', attachment: { id: 'img-1', name: 'cup.png', size: 2048, mime: 'image/png', width: 640, height: 480, has_thumb: true } }));
    const img = m.q('sb-msg-image');
    expect(img).not.toBeNull();
    await flush();
    expect(m.files.calls[0]).toEqual({ url: `${SERVER}/api/v1/files/img-1/thumb`, auth: 'Bearer tok-1' });
    expect(img.dataset.state).toBe('ready');
    expect(img.querySelector('img')?.getAttribute('src')).toBe(m.files.made[0]);

    const overlay = m.q('sb-image-overlay');
    expect(overlay.hidden).toBe(true);
    img.click();
    await flush();
    expect(overlay.hidden).toBe(false);
    expect(m.files.calls[1].url).toBe(`${SERVER}/api/v1/files/img-1`);
    expect(overlay.querySelector('img')?.getAttribute('src')).toBe(m.files.made[1]);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(overlay.hidden).toBe(true);
    // Esc closed the picture, not the panel.
    expect(m.q('sb-panel').hidden).toBe(false);
  });

  it('offers an image too big to decode as a file, fetching nothing', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    push(s, msg(1, { sender: agent, kind: 'image', text: '', attachment: { id: 'bomb', name: 'scan.png', size: 300_000, mime: 'image/png', width: 6000, height: 6000 } }));
    await flush();
    expect(m.q('sb-msg-image')).toBeNull();
    expect(m.q('sb-msg-file').textContent).toContain('scan.png');
    expect(m.files.calls).toEqual([]);
  });

  it('shows a file with name, size and type, and downloads it through a blob link', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    push(s, msg(1, { sender: agent, kind: 'file', text: 'the invoice', attachment: { id: 'f-1', name: 'invoice.pdf', size: 1536, mime: 'application/pdf' } }));
    const box = m.q('sb-msg-file');
    expect(box.textContent).toContain('invoice.pdf');
    expect(box.textContent).toContain('1.5 KB');
    expect(box.querySelector('.sb-file-icon')?.textContent).toBe('PDF');
    expect(box.closest('.sb-bubble')?.textContent).toContain('the invoice');
    const clicked: Array<{ href: string; download: string }> = [];
    const orig = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    };
    try {
      m.q<HTMLButtonElement>('sb-file-download', box).click();
      await flush();
    } finally {
      HTMLAnchorElement.prototype.click = orig;
    }
    expect(m.files.calls).toEqual([{ url: `${SERVER}/api/v1/files/f-1`, auth: 'Bearer tok-1' }]);
    expect(clicked).toEqual([{ href: m.files.made[0], download: 'invoice.pdf' }]);
    expect(box.dataset.state).toBe('done');
  });

  it('says so when a download fails', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    m.files.status = 404;
    push(s, msg(1, { sender: agent, kind: 'file', attachment: { id: 'f-1', name: 'a.zip', size: 10, mime: 'application/zip' } }));
    m.q<HTMLButtonElement>('sb-file-download').click();
    await flush();
    expect(m.q('sb-msg-file').dataset.state).toBe('failed');
    expect(m.q('sb-msg-file').textContent).toContain('The file could not be downloaded');
  });

  it('plays a voice message with its duration, fetching it on the first play', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    push(s, msg(1, { sender: agent, kind: 'voice', attachment: { id: 'v-1', name: 'v.webm', size: 900, mime: 'audio/webm', duration_ms: 12_000 } }));
    const box = m.q('sb-msg-voice');
    expect(box.textContent).toContain('0:12');
    expect(m.files.calls).toHaveLength(0);
    const played: string[] = [];
    const orig = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      played.push(this.src);
      this.dispatchEvent(new Event('play'));
      return Promise.resolve();
    };
    try {
      m.q<HTMLButtonElement>('sb-voice-play', box).click();
      await flush();
    } finally {
      HTMLMediaElement.prototype.play = orig;
    }
    expect(m.files.calls.map((c) => c.url)).toEqual([`${SERVER}/api/v1/files/v-1`]);
    expect(played).toEqual([m.files.made[0]]);
    expect(box.dataset.state).toBe('playing');
    const audio = box.querySelector('audio') as HTMLAudioElement;
    Object.defineProperty(audio, 'currentTime', { value: 3, configurable: true });
    audio.dispatchEvent(new Event('timeupdate'));
    expect(box.querySelector('.sb-voice-time')?.textContent).toBe('0:03 / 0:12');
    expect(box.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('25');
  });

  it('shows a neutral placeholder for a kind it does not know', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    push(s, msg(1, { sender: agent, kind: 'hologram', text: '<b>x</b>' }));
    expect(m.q('sb-msg-unknown').textContent).toBe('[This message cannot be shown here yet]');
    expect(m.container.querySelector('b')).toBeNull();
  });

  it('keeps text as text with clickable links', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    push(s, msg(1, { sender: agent, text: '<img src=x onerror=alert(1)> see https://example.com/a' }));
    const bubble = m.container.querySelector('[data-seq="1"] .sb-bubble') as HTMLElement;
    expect(bubble.querySelector('img')).toBeNull();
    expect(bubble.querySelector('a')?.getAttribute('href')).toBe('https://example.com/a');
  });
});

describe('cards', () => {
  const product = {
    type: 'product',
    version: 1,
    data: { sku: 'K-1', title: 'Smart kettle', price: '199.00', currency: 'CNY', image_url: 'https://img.example.com/k.png', url: 'https://shop.example.com/k' },
    fallback: 'Smart kettle — 199.00 CNY',
  };

  it('draws a product card and sends view and buy as card_action frames', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    push(s, msg(7, { sender: agent, kind: 'card', text: '', card: product }));
    const card = m.q('sb-card');
    expect(card.dataset.cardType).toBe('product');
    expect(card.textContent).toContain('Smart kettle');
    expect(card.textContent).toContain('199.00');
    expect(card.querySelector('img')?.getAttribute('src')).toBe('https://img.example.com/k.png');
    const buttons = m.qa<HTMLButtonElement>('sb-card-action', card);
    expect(buttons.map((b) => b.dataset.action)).toEqual(['view', 'buy']);

    buttons[0].click();
    expect(m.opened).toEqual(['https://shop.example.com/k']);
    expect(s.last('card_action').data).toMatchObject({ conversation_id: 'c-1', card_seq: 7, action: 'view' });

    buttons[1].click();
    const f = s.last('card_action');
    expect(f.data).toMatchObject({ card_seq: 7, action: 'buy', values: { qty: 1 } });
    const buy = m.q<HTMLButtonElement>('sb-card-action', card.querySelector('.sb-mcard-actions') as HTMLElement);
    expect(m.qa<HTMLButtonElement>('sb-card-action', card)[1].disabled).toBe(true);
    expect(buy).not.toBeNull();
    expect(card.textContent).toContain('Sending…');
    const d = f.data as { client_msg_id: string };
    s.receive({ type: 'ack', id: f.id, data: { conversation_id: 'c-1', client_msg_id: d.client_msg_id, seq: 9, epoch: 1, created_at: 1 } });
    expect(card.textContent).toContain('An agent will help you place the order');
  });

  it('draws an order status card', async () => {
    const m = mount('zh');
    const s = await openOnline(m);
    push(s, msg(2, { sender: agent, kind: 'card', card: { type: 'order_status', version: 1, data: { order_no: 'SO-1', status: 'shipped', items: [{ name: '保温杯', qty: 2 }], eta: '2026-12-01' }, fallback: 'Order SO-1: shipped' } }));
    const card = m.q('sb-card');
    expect(card.dataset.cardType).toBe('order_status');
    expect(card.textContent).toContain('订单号 SO-1');
    expect(card.textContent).toContain('已发货');
    expect(card.textContent).toContain('保温杯');
    expect(card.textContent).toContain('× 2');
    expect(card.textContent).toContain('预计送达 2026-12-01');
    expect(m.qa('sb-card-action', card)).toHaveLength(0);
  });

  it('submits a rating form with score and comment as one card_action', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    push(s, msg(3, { sender: agent, kind: 'card', card: { type: 'rating_form', version: 1, data: { question: 'How was the kettle?', scale: 5, comment_allowed: true }, fallback: 'How was the kettle? (1–5)' } }));
    const card = m.q('sb-card');
    expect(card.textContent).toContain('How was the kettle?');
    const submit = m.q<HTMLButtonElement>('sb-card-action', card);
    expect(submit.dataset.action).toBe('submit');
    expect(submit.disabled).toBe(true);
    m.qa<HTMLButtonElement>('sb-card-star', card)[3].click();
    m.q<HTMLTextAreaElement>('sb-card-comment', card).value = ' great ';
    expect(submit.disabled).toBe(false);
    submit.click();
    const f = s.last('card_action');
    expect(f.data).toMatchObject({ card_seq: 3, action: 'submit', values: { score: 4, comment: 'great' } });
    expect(s.all('card_action')).toHaveLength(1);
    const d = f.data as { client_msg_id: string };
    s.receive({ type: 'ack', id: f.id, data: { conversation_id: 'c-1', client_msg_id: d.client_msg_id, seq: 4, epoch: 1, created_at: 1 } });
    expect(card.textContent).toContain('Sent: 4 of 5 stars');
    expect(submit.hidden).toBe(true);
  });

  it('shows a submitted rating form as done after a reload (from the stored event)', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    s.receive({ type: 'history', id: s.last('sync').id, data: { conversation_id: 'c-1', epoch: 1, has_more: false, messages: [
      msg(3, { sender: agent, kind: 'card', card: { type: 'rating_form', version: 1, data: { question: 'Q?', scale: 5 }, fallback: 'Q? (1–5)' } }),
      msg(4, { sender: { role: 'customer', id: 'v' }, kind: 'event', event: { type: 'card_action', card_seq: 3, card_type: 'rating_form', action: 'submit', values: { score: 5 } } }),
    ] } });
    const card = m.q('sb-card');
    expect(card.textContent).toContain('Sent: 5 of 5 stars');
    // The action is not a line of its own.
    expect(m.container.querySelector('[data-seq="4"]')).toBeNull();
  });

  it.each([
    ['an unknown type', { type: 'coupon', version: 1, data: { code: 'X' }, fallback: 'Coupon X: https://shop.example.com/c' }],
    ['an unknown version', { type: 'product', version: 2, data: { sku: 'a' }, fallback: 'Coupon X: https://shop.example.com/c' }],
    ['data that does not fit', { type: 'product', version: 1, data: { sku: 1 }, fallback: 'Coupon X: https://shop.example.com/c' }],
  ])('shows the fallback text for %s', async (_name, card) => {
    const m = mount('en');
    const s = await openOnline(m);
    push(s, msg(5, { sender: agent, kind: 'card', card }));
    const fb = m.q('sb-card-fallback');
    expect(fb.textContent).toBe('Coupon X: https://shop.example.com/c');
    expect(fb.querySelector('a')?.getAttribute('href')).toBe('https://shop.example.com/c');
    expect(m.qa('sb-card-action')).toHaveLength(0);
  });

  it('shows the server’s refusal of a card action', async () => {
    const m = mount('zh');
    const s = await openOnline(m);
    push(s, msg(7, { sender: agent, kind: 'card', card: product }));
    m.qa<HTMLButtonElement>('sb-card-action')[1].click();
    const f = s.last('card_action');
    s.receive({ type: 'error', id: f.id, error: { code: 'invalid_card', message: '', retryable: false } });
    expect(m.q('sb-error').textContent).toBe('操作无效，请刷新后重试');
    // Refused: the customer may try again.
    expect(m.qa<HTMLButtonElement>('sb-card-action')[1].disabled).toBe(false);
  });
});

describe('sending files', () => {
  function pick(m: ReturnType<typeof mount>, f: File) {
    const input = m.q<HTMLInputElement>('sb-file-input');
    Object.defineProperty(input, 'files', { value: [f], configurable: true });
    input.dispatchEvent(new Event('change'));
  }

  it('attaches through the file input, shows progress, then sends an image message', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    expect(m.q('sb-attach')).not.toBeNull();
    m.tus.hold = true;
    pick(m, new File(['0123456789ab'], 'cup.png', { type: 'image/png' }));
    const row = m.q('sb-upload');
    expect(row.dataset.state).toBe('uploading');
    expect(row.dataset.progress).toBe('0');
    await m.tus.waitHeld();
    m.tus.release();
    await m.tus.waitHeld();
    expect(Number(m.q('sb-upload').dataset.progress)).toBe(33);
    m.tus.hold = false;
    m.tus.release();
    await flush();
    expect(m.q('sb-upload')).toBeNull();
    const d = s.last('send').data as SendData;
    expect(d).toMatchObject({ conversation_id: 'c-1', kind: 'image', attachment_id: 'f1' });
    // The pending row shows the picture already.
    expect(m.q('sb-msg-image')).not.toBeNull();
  });

  it('cancels an upload from the tray', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    m.tus.hold = true;
    pick(m, new File(['0123456789ab'], 'big.pdf', { type: 'application/pdf' }));
    await m.tus.waitHeld();
    m.q<HTMLButtonElement>('sb-upload-cancel').click();
    expect(m.q('sb-upload')).toBeNull();
    m.tus.hold = false;
    m.tus.release();
    await flush();
    expect(m.tus.log).toContain('DELETE /f1');
    expect(s.all('send')).toHaveLength(0);
  });

  it.each([
    ['zh', 413, 'file_too_large', 'big.zip 上传失败：文件太大，无法发送'],
    ['en', 413, 'file_too_large', 'big.zip was not sent: The file is too large to send'],
    ['zh', 415, 'type_not_allowed', 'big.zip 上传失败：不支持发送此类型的文件'],
    ['en', 415, 'type_not_allowed', 'big.zip was not sent: Files of this type cannot be sent'],
  ] as const)('shows %s %d %s clearly', async (locale, status, code, want) => {
    const m = mount(locale);
    const s = await openOnline(m);
    m.tus.refuseCreate = refusal(status, code);
    pick(m, new File(['x'], 'big.zip', { type: 'application/zip' }));
    await flush();
    const row = m.q('sb-upload');
    expect(row.dataset.state).toBe('failed');
    expect(m.q('sb-upload-error', row).textContent).toBe(want);
    expect(m.q('sb-upload-retry', row).hidden).toBe(true);
    m.q<HTMLButtonElement>('sb-upload-dismiss', row).click();
    expect(m.q('sb-upload')).toBeNull();
    expect(s.all('send')).toHaveLength(0);
  });

  it('uploads an image pasted from the clipboard and files dropped on the panel', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    const pasted = new File(['PNG'], 'image.png', { type: 'image/png' });
    const paste = new Event('paste', { bubbles: true, cancelable: true }) as ClipboardEvent;
    Object.defineProperty(paste, 'clipboardData', { value: { items: [{ kind: 'file', getAsFile: () => pasted }] } });
    m.q('sb-input').dispatchEvent(paste);
    expect(paste.defaultPrevented).toBe(true);
    await flush();
    expect(s.last('send').data).toMatchObject({ kind: 'image', attachment_id: 'f1' });

    const dropped = new File(['%PDF'], 'a.pdf', { type: 'application/pdf' });
    const panel = m.q('sb-panel');
    const enter = new Event('dragenter', { bubbles: true, cancelable: true });
    Object.defineProperty(enter, 'dataTransfer', { value: { types: ['Files'] } });
    panel.dispatchEvent(enter);
    expect((panel.querySelector('.sb-drop') as HTMLElement).hidden).toBe(false);
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { types: ['Files'], files: [dropped] } });
    panel.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
    expect((panel.querySelector('.sb-drop') as HTMLElement).hidden).toBe(true);
    await flush();
    expect(s.last('send').data).toMatchObject({ kind: 'file', attachment_id: 'f2' });
  });
});

describe('uploads cut off by a reload', () => {
  it('names them after the reload, and forgets the name once the file is sent again', async () => {
    // tus-js-client's URL storage outlives the page, as localStorage does.
    const storage = new MemoryUrlStorage();
    const f = new File(['abcdefgh'], 'manual.pdf', { type: 'application/pdf', lastModified: 5 });
    const pick = (m: ReturnType<typeof mount>) => {
      const input = m.q<HTMLInputElement>('sb-file-input');
      Object.defineProperty(input, 'files', { value: [f], configurable: true });
      input.dispatchEvent(new Event('change'));
    };
    const before = mount('en', null, storage);
    await openOnline(before);
    before.tus.cutAfter = 4;
    pick(before);
    await flush();
    expect(before.q('sb-upload').dataset.state).toBe('failed');
    expect(before.q('sb-upload-resume-hint')).toBeNull();

    const after = mount('en', null, storage);
    const s = await openOnline(after);
    await flush();
    expect(after.q('sb-upload-resume-hint').textContent).toBe(
      'manual.pdf did not finish uploading; choose the file again to continue',
    );
    pick(after);
    await flush();
    expect(s.last('send').data).toMatchObject({ kind: 'file' });
    expect(after.q('sb-upload-resume-hint')).toBeNull();
  });
});

describe('voice recording', () => {
  it('hides the record button where the browser cannot record', () => {
    const m = mount('en', null);
    expect(m.q('sb-voice-record').hidden).toBe(true);
  });

  it('asks for the microphone on click, records, and sends a voice message', async () => {
    const asked: MediaStreamConstraints[] = [];
    const stopped: string[] = [];
    let rec: { ondataavailable: ((e: BlobEvent) => void) | null; onstop: (() => void) | null } | null = null;
    const media: MediaEnv = {
      getUserMedia: async (c) => {
        asked.push(c);
        return { getTracks: () => [{ stop: () => stopped.push('track') }] } as unknown as MediaStream;
      },
      createRecorder: () => {
        const r = {
          mimeType: 'audio/webm;codecs=opus',
          ondataavailable: null as ((e: BlobEvent) => void) | null,
          onstop: null as (() => void) | null,
          start() {},
          stop() {
            r.ondataavailable?.({ data: new Blob(['OPUSDATA'], { type: 'audio/webm' }) } as BlobEvent);
            r.onstop?.();
          },
        };
        rec = r;
        return r as unknown as MediaRecorder;
      },
      now: () => 1000,
    };
    const m = mount('en', media);
    const s = await openOnline(m);
    const btn = m.q<HTMLButtonElement>('sb-voice-record');
    expect(btn.hidden).toBe(false);
    expect(asked).toHaveLength(0); // nothing asked before the click
    btn.click();
    await flush();
    expect(asked).toEqual([{ audio: true }]);
    expect(btn.dataset.state).toBe('recording');
    expect(rec).not.toBeNull();
    btn.click();
    await flush();
    expect(stopped).toEqual(['track']);
    expect(s.last('send').data).toMatchObject({ kind: 'voice', attachment_id: 'f1' });
    expect(m.tus.uploads.get('f1')?.metadata.filetype).toBe('audio/webm');
  });

  it('explains a refused microphone', async () => {
    const media: MediaEnv = {
      getUserMedia: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
      createRecorder: () => {
        throw new Error('unreachable');
      },
      now: () => 0,
    };
    const m = mount('zh', media);
    await openOnline(m);
    m.q<HTMLButtonElement>('sb-voice-record').click();
    await flush();
    expect(m.q('sb-error').textContent).toBe('无法使用麦克风，请在浏览器中允许录音');
  });
});
