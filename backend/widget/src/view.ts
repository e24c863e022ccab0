// The widget's DOM: launcher, panel, queue banner, transcript, the
// leave-a-message form, the rating card, the uploads tray and the composer
// (attach, voice, paste and drop). Every piece of message data is written
// with textContent (through renderText); no HTML string is ever parsed.

import { renderFile, renderImage, renderVoice, showsInline, type AttachmentContext } from './attachments';
import { renderCard, type CardView } from './cards';
import type { ChatClient, ConnState } from './client';
import { browserSave, TranscriptExporter, type ExportEnv, type TranscriptFormat } from './export';
import { FileFetcher, formatDuration, type FileEnv } from './files';
import { errorText, eventLine, format, queueText, type Strings } from './i18n';
import { renderText } from './linkify';
import { browserMedia, VoiceRecorder, type MediaEnv, type RecorderState } from './recorder';
import { Uploads, type UploadItem, type UploadsOptions } from './uploads';
import {
  ConversationState,
  EXT_CONTACT,
  EXT_LEFT_MESSAGE,
  MAX_EXT_VALUE_LEN,
  MAX_RATING_COMMENT_RUNES,
  MAX_TEXT_RUNES,
} from './protocol';
import type { Attachment } from './protocol';
import type { Item } from './transcript';

const SVG_NS = 'http://www.w3.org/2000/svg';

// Icon paths (24×24 viewBox), drawn with stroke.
const ICON_CHAT =
  'M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.6A8 8 0 1 1 21 12z M8.5 12h.01 M12 12h.01 M15.5 12h.01';
const ICON_CLOSE = 'M6 6l12 12 M18 6L6 18';
const ICON_SEND = 'M4 12l16-8-6 16-2.5-6.5z M11.5 13.5L20 4';
const ICON_TREE = 'M12 3l-5 7h3l-4 6h5v5h2v-5h5l-4-6h3z';
const ICON_ATTACH =
  'M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9';
const ICON_THUMB_UP =
  'M7 10v12 M15 5.9L14 10h5.8a2 2 0 0 1 1.9 2.6l-2.3 8a2 2 0 0 1-1.9 1.4H4a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h2.8a2 2 0 0 0 1.8-1.1L12 2a3.1 3.1 0 0 1 3 3.9z';
const ICON_THUMB_DOWN =
  'M17 14V2 M9 18.1L10 14H4.2a2 2 0 0 1-1.9-2.6l2.3-8A2 2 0 0 1 6.5 2H20a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-2.8a2 2 0 0 0-1.8 1.1L12 22a3.1 3.1 0 0 1-3-3.9z';
const ICON_EXPORT = 'M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z M14 3v6h6 M12 11v7 M9 15l3 3 3-3';
const ICON_MIC = 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z M5 11a7 7 0 0 0 14 0 M12 18v3';

/** ViewOptions configures the view. */
export interface ViewOptions {
  strings: Strings;
  locale: 'zh' | 'en';
  container: HTMLElement;
  /** Called the first time the panel opens (the client starts then). */
  onFirstOpen: () => void;
  /** Called whenever the panel opens or closes. */
  onToggle?: (open: boolean) => void;
  /** Downloads of files; default: the browser's fetch and blob URLs. */
  fileEnv?: FileEnv;
  /** Upload settings; tests plug a fake tus endpoint in here. */
  uploads?: UploadsOptions;
  /** Voice recording; null hides the button. Default: the browser's, where it has MediaRecorder. */
  media?: MediaEnv | null;
  /** Opens a product page; default: a new tab. */
  openURL?: (url: string) => void;
  /** Transcript downloads and emails; default: the browser's fetch and a download link. */
  exportEnv?: ExportEnv;
}

// A plausible email address; the server checks it for real.
const EMAIL_RE = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * LeaveState is the leave-a-message form's state: being filled in, sent and
 * waiting for the server's ack (it is in the outbox, so it survives a
 * reconnect), or stored.
 */
type LeaveState =
  | { status: 'editing' }
  | { status: 'sending'; clientMsgId: string }
  | { status: 'done' };

// Longest contact accepted: well under the server's 512-byte ext value
// limit even in 4-byte characters.
const MAX_CONTACT_CHARS = MAX_EXT_VALUE_LEN / 4;

interface Row {
  el: HTMLElement;
  item: Item;
  nameEl: HTMLElement | null;
  metaEl: HTMLElement | null;
  lineEl: HTMLElement | null;
  card: CardView | null;
  /** The "was this helpful?" line of a bot answer from the knowledge base. */
  feedback: FeedbackView | null;
}

/** FeedbackView is the line under a bot answer that asks whether it helped. */
interface FeedbackView {
  el: HTMLElement;
  text: HTMLElement;
  up: HTMLButtonElement;
  down: HTMLButtonElement;
}

/** WidgetView renders a ChatClient and feeds the composer into it. */
export class WidgetView {
  readonly root: HTMLElement;
  private readonly s: Strings;
  private readonly client: ChatClient;
  private readonly opts: ViewOptions;
  private readonly doc: Document;

  private launcher!: HTMLButtonElement;
  private badge!: HTMLElement;
  private panel!: HTMLElement;
  private status!: HTMLElement;
  private statusText!: HTMLElement;
  private scroller!: HTMLElement;
  private list!: HTMLElement;
  private notice!: HTMLElement;
  private quick!: HTMLElement;
  private queue!: HTMLElement;
  private queueText!: HTMLElement;
  private leave!: HTMLElement;
  private leaveForm!: HTMLFormElement;
  private leaveText!: HTMLTextAreaElement;
  private leaveContact!: HTMLInputElement;
  private leaveSubmit!: HTMLButtonElement;
  private leaveDone!: HTMLElement;
  private rating!: HTMLElement;
  private ratingStars: HTMLButtonElement[] = [];
  private ratingComment!: HTMLTextAreaElement;
  private ratingSubmit!: HTMLButtonElement;
  private ratingError!: HTMLElement;
  private ratingThanks!: HTMLElement;
  private input!: HTMLTextAreaElement;
  private sendBtn!: HTMLButtonElement;
  private attachBtn!: HTMLButtonElement;
  private fileInput!: HTMLInputElement;
  private recordBtn!: HTMLButtonElement;
  private recordTime!: HTMLElement;
  private tray!: HTMLElement;
  private hints!: HTMLElement;
  private dropHint!: HTMLElement;
  private overlay!: HTMLElement;
  private overlayImg!: HTMLImageElement;
  private overlayFor = '';
  private overlayReturn: HTMLElement | null = null;

  private exportBtn!: HTMLButtonElement;
  private exportMenu!: HTMLElement;
  private exportEmail!: HTMLFormElement;
  private exportAddress!: HTMLInputElement;
  private exportStatus!: HTMLElement;
  // The address field was typed in: it is no longer prefilled.
  private addressTouched = false;
  private exportBusy = false;

  private readonly files: FileFetcher;
  private readonly exporter: TranscriptExporter;
  private readonly uploads: Uploads;
  private readonly recorder: VoiceRecorder | null;
  private uploadRows = new Map<string, HTMLElement>();
  private hintsFor = '';
  private recordTimer: ReturnType<typeof setInterval> | null = null;

  private rows = new Map<string, Row>();
  // The conversation the leave form and rating card were last filled in
  // for: a new conversation starts them afresh.
  private leaveFor = '';
  private leaveState: LeaveState = { status: 'editing' };
  private ratingFor = '';
  private score = 0;
  private isOpen = false;
  private opened = false;
  private unread = 0;
  private noticeTimer: ReturnType<typeof setTimeout> | null = null;
  private teardown: Array<() => void> = [];

  constructor(client: ChatClient, opts: ViewOptions) {
    this.client = client;
    this.opts = opts;
    this.s = opts.strings;
    this.doc = opts.container.ownerDocument;
    const win = this.doc.defaultView ?? window;
    this.files = new FileFetcher(
      client,
      opts.fileEnv ?? {
        fetch: (u, i) => win.fetch(u, i),
        createObjectURL: (b) => URL.createObjectURL(b),
        revokeObjectURL: (u) => URL.revokeObjectURL(u),
      },
    );
    this.exporter = new TranscriptExporter(
      client,
      opts.exportEnv ?? { fetch: (u, i) => win.fetch(u, i), save: browserSave(this.doc) },
    );
    this.uploads = new Uploads(client, opts.uploads);
    const media = opts.media === undefined ? browserMedia(win as Window & typeof globalThis) : opts.media;
    this.recorder = media
      ? new VoiceRecorder(
          media,
          (st) => this.renderRecorder(st),
          (file, durationMS) => {
            this.uploads.add(file, file.name, 'voice', durationMS);
          },
        )
      : null;
    this.root = this.build();
    this.teardown.push(
      this.uploads.on((e) => {
        this.renderUploads();
        // A resumed upload that finished is no longer one to mention.
        if (e.item.state.status === 'done' || e.item.state.status === 'canceled') this.renderResumeHints(true);
      }),
    );
    opts.container.appendChild(this.root);
    this.teardown.push(client.on((e) => {
      switch (e.type) {
        case 'state':
          this.renderStatus(e.state);
          break;
        case 'conversation':
          this.render();
          this.renderResumeHints();
          break;
        case 'transcript':
        case 'queue':
        case 'rating':
        case 'feedback':
        case 'features':
          this.render();
          break;
        case 'incoming':
          if (!this.isOpen) this.setUnread(this.unread + e.messages.length);
          break;
        case 'error':
          this.showNotice(e.code === 'undelivered' ? this.s.undelivered : errorText(this.s, e.code));
          break;
      }
    }));
    this.renderStatus(client.state);
    this.render();
  }

  /** open shows the panel and focuses the composer. */
  /** isShown reports whether the panel is open. */
  get isShown(): boolean {
    return this.isOpen;
  }

  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.root.classList.add('sb-is-open');
    this.panel.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.setUnread(0);
    if (!this.opened) {
      this.opened = true;
      this.opts.onFirstOpen();
    }
    this.opts.onToggle?.(true);
    this.scrollToBottom();
    this.input.focus({ preventScroll: true });
  }

  /** close hides the panel; the connection stays up to count unread replies. */
  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.root.classList.remove('sb-is-open');
    this.panel.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.opts.onToggle?.(false);
    this.launcher.focus({ preventScroll: true });
  }

  /** destroy removes the widget from the page. */
  destroy(): void {
    for (const fn of this.teardown) fn();
    this.teardown = [];
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    if (this.recordTimer) clearInterval(this.recordTimer);
    this.recorder?.cancel();
    this.uploads.destroy();
    this.files.destroy();
    this.root.remove();
  }

  // --- construction ---------------------------------------------------------

  private build(): HTMLElement {
    const s = this.s;
    const root = this.el('div', 'sb-root');
    root.lang = this.opts.locale === 'zh' ? 'zh-CN' : 'en';

    const launcher = this.el('button', 'sb-launcher') as HTMLButtonElement;
    launcher.type = 'button';
    launcher.dataset.testid = 'sb-launcher';
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-controls', 'sb-panel');
    launcher.append(this.icon(ICON_CHAT, 'sb-launcher-icon'), this.text('span', 'sb-launcher-label', s.launcher));
    this.badge = this.el('span', 'sb-badge');
    this.badge.hidden = true;
    launcher.appendChild(this.badge);
    this.listen(launcher, 'click', () => this.open());
    this.launcher = launcher;

    const panel = this.el('section', 'sb-panel');
    panel.id = 'sb-panel';
    panel.dataset.testid = 'sb-panel';
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', s.store);
    panel.hidden = true;
    this.listen(panel, 'keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape' && this.overlay.hidden) this.close();
    });
    this.buildDrop(panel);

    const header = this.el('header', 'sb-header');
    const avatar = this.el('div', 'sb-avatar');
    avatar.appendChild(this.icon(ICON_TREE, 'sb-avatar-icon', true));
    const titles = this.el('div', 'sb-titles');
    titles.append(this.text('h2', 'sb-title', s.store), this.text('p', 'sb-tagline', s.tagline));
    const closeBtn = this.el('button', 'sb-close') as HTMLButtonElement;
    closeBtn.type = 'button';
    closeBtn.title = s.close;
    closeBtn.setAttribute('aria-label', s.close);
    closeBtn.appendChild(this.icon(ICON_CLOSE, 'sb-close-icon'));
    this.listen(closeBtn, 'click', () => this.close());
    header.append(avatar, titles, this.buildExportButton(), closeBtn);

    this.status = this.el('div', 'sb-status');
    this.status.dataset.testid = 'sb-status';
    this.status.setAttribute('role', 'status');
    this.statusText = this.el('span', 'sb-status-text');
    this.status.append(this.el('span', 'sb-dot'), this.statusText);

    // The place in line; polite, so each update is read out once.
    this.queue = this.el('div', 'sb-queue');
    this.queue.dataset.testid = 'sb-queue';
    this.queue.setAttribute('role', 'status');
    this.queue.setAttribute('aria-live', 'polite');
    this.queue.hidden = true;
    this.queueText = this.el('span', 'sb-queue-text');
    this.queueText.dataset.testid = 'sb-queue-text';
    this.queue.appendChild(this.queueText);

    this.scroller = this.el('div', 'sb-transcript');
    this.scroller.setAttribute('role', 'log');
    this.scroller.setAttribute('aria-live', 'polite');
    const greeting = this.el('div', 'sb-greeting');
    greeting.appendChild(this.text('div', 'sb-bubble', s.greeting));
    this.list = this.el('div', 'sb-messages');
    this.scroller.append(greeting, this.list);

    this.quick = this.el('div', 'sb-quick');
    this.quick.setAttribute('aria-label', s.quickReplies);
    this.quick.hidden = true;
    this.scroller.append(this.quick);
    this.listen(this.quick, 'click', (e) => {
      const b = (e.target as HTMLElement | null)?.closest('.sb-quick-reply');
      const text = b?.textContent ?? '';
      if (text && this.client.send(text).ok) this.scrollToBottom();
    });
    this.scroller.append(this.buildLeave(), this.buildRating());

    this.notice = this.el('div', 'sb-notice');
    this.notice.dataset.testid = 'sb-error';
    this.notice.setAttribute('role', 'alert');
    this.notice.hidden = true;

    const form = this.el('form', 'sb-composer') as HTMLFormElement;
    form.noValidate = true;
    this.input = this.el('textarea', 'sb-input') as HTMLTextAreaElement;
    this.input.dataset.testid = 'sb-input';
    this.input.rows = 1;
    this.input.placeholder = s.placeholder;
    this.input.setAttribute('aria-label', s.inputLabel);
    this.input.setAttribute('enterkeyhint', 'send');
    this.sendBtn = this.el('button', 'sb-send') as HTMLButtonElement;
    this.sendBtn.type = 'submit';
    this.sendBtn.dataset.testid = 'sb-send';
    this.sendBtn.title = s.send;
    this.sendBtn.setAttribute('aria-label', s.send);
    this.sendBtn.appendChild(this.icon(ICON_SEND, 'sb-send-icon'));
    this.attachBtn = this.el('button', 'sb-tool sb-attach') as HTMLButtonElement;
    this.attachBtn.type = 'button';
    this.attachBtn.dataset.testid = 'sb-attach';
    this.attachBtn.title = s.attach;
    this.attachBtn.setAttribute('aria-label', s.attach);
    this.attachBtn.appendChild(this.icon(ICON_ATTACH, 'sb-tool-icon'));
    this.fileInput = this.el('input', 'sb-file-input') as HTMLInputElement;
    this.fileInput.type = 'file';
    this.fileInput.multiple = true;
    this.fileInput.hidden = true;
    this.fileInput.tabIndex = -1;
    this.fileInput.dataset.testid = 'sb-file-input';
    this.listen(this.attachBtn, 'click', () => this.fileInput.click());
    this.listen(this.fileInput, 'change', () => {
      this.addFiles([...(this.fileInput.files ?? [])]);
      this.fileInput.value = '';
    });
    this.recordBtn = this.el('button', 'sb-tool sb-record') as HTMLButtonElement;
    this.recordBtn.type = 'button';
    this.recordBtn.dataset.testid = 'sb-voice-record';
    this.recordBtn.appendChild(this.icon(ICON_MIC, 'sb-tool-icon'));
    this.recordTime = this.el('span', 'sb-record-time');
    this.recordBtn.appendChild(this.recordTime);
    this.recordBtn.hidden = this.recorder === null;
    this.listen(this.recordBtn, 'click', () => this.recorder?.toggle());
    this.listen(this.input, 'paste', (e) => {
      const items = [...((e as ClipboardEvent).clipboardData?.items ?? [])];
      const files = items.filter((i) => i.kind === 'file').map((i) => i.getAsFile()).filter((f): f is File => !!f);
      if (!files.length) return;
      e.preventDefault();
      this.addFiles(files);
    });
    form.append(this.attachBtn, this.recordBtn, this.fileInput, this.input, this.sendBtn);
    this.listen(form, 'submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.listen(this.input, 'keydown', (e) => {
      const k = e as KeyboardEvent;
      // Enter while an input method is composing picks a candidate, not send.
      if (k.key === 'Enter' && !k.shiftKey && !k.isComposing && k.keyCode !== 229) {
        k.preventDefault();
        this.submit();
      }
    });
    this.listen(this.input, 'input', () => this.autosize());

    this.tray = this.el('div', 'sb-uploads');
    this.tray.dataset.testid = 'sb-uploads';
    this.tray.setAttribute('aria-live', 'polite');
    this.hints = this.el('div', 'sb-upload-hints');
    this.tray.appendChild(this.hints);

    panel.append(header, this.buildExportMenu(), this.status, this.queue, this.scroller, this.notice, this.tray, form, this.dropHint);
    this.panel = panel;
    root.append(panel, launcher, this.buildOverlay());
    this.renderRecorder(this.recorder?.state ?? { status: 'idle' });
    return root;
  }

  /** buildDrop makes the panel take files dropped on it. */
  private buildDrop(panel: HTMLElement): void {
    this.dropHint = this.text('div', 'sb-drop', this.s.dropHere);
    this.dropHint.hidden = true;
    let depth = 0;
    const hasFiles = (e: Event) => [...((e as DragEvent).dataTransfer?.types ?? [])].includes('Files');
    this.listen(panel, 'dragenter', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      this.dropHint.hidden = false;
    });
    this.listen(panel, 'dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      const dt = (e as DragEvent).dataTransfer;
      if (dt) dt.dropEffect = 'copy';
    });
    this.listen(panel, 'dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) this.dropHint.hidden = true;
    });
    this.listen(panel, 'drop', (e) => {
      const files = [...((e as DragEvent).dataTransfer?.files ?? [])];
      depth = 0;
      this.dropHint.hidden = true;
      if (!files.length) return;
      e.preventDefault();
      this.addFiles(files);
    });
  }

  /** buildOverlay makes the full-size image viewer. */
  private buildOverlay(): HTMLElement {
    const s = this.s;
    const o = this.el('div', 'sb-overlay');
    o.dataset.testid = 'sb-image-overlay';
    o.setAttribute('role', 'dialog');
    o.setAttribute('aria-modal', 'true');
    o.hidden = true;
    this.overlayImg = this.el('img', 'sb-overlay-image') as HTMLImageElement;
    const close = this.el('button', 'sb-overlay-close') as HTMLButtonElement;
    close.type = 'button';
    close.dataset.testid = 'sb-image-overlay-close';
    close.title = s.imageClose;
    close.setAttribute('aria-label', s.imageClose);
    close.appendChild(this.icon(ICON_CLOSE, 'sb-close-icon'));
    o.append(this.overlayImg, close);
    this.listen(o, 'click', (e) => {
      if (e.target !== this.overlayImg) this.closeImage();
    });
    this.listen(this.doc, 'keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape' && !this.overlay.hidden) {
        e.stopPropagation();
        this.closeImage();
      }
    });
    this.overlay = o;
    return o;
  }

  /** openImage shows an image message full size. */
  private openImage(a: Attachment): void {
    this.overlayFor = a.id;
    this.overlayReturn = this.doc.activeElement as HTMLElement | null;
    this.overlayImg.removeAttribute('src');
    this.overlayImg.alt = format(this.s.imageAlt, { name: a.name });
    this.overlay.dataset.state = 'loading';
    this.overlay.hidden = false;
    (this.overlay.querySelector('.sb-overlay-close') as HTMLButtonElement | null)?.focus({ preventScroll: true });
    this.files.url(a.id).then(
      (u) => {
        if (this.overlayFor !== a.id) return;
        this.overlayImg.src = u;
        this.overlay.dataset.state = 'ready';
      },
      () => {
        if (this.overlayFor === a.id) this.overlay.dataset.state = 'failed';
      },
    );
  }

  private closeImage(): void {
    if (this.overlay.hidden) return;
    this.overlay.hidden = true;
    this.overlayFor = '';
    this.overlayImg.removeAttribute('src');
    this.overlayReturn?.focus?.({ preventScroll: true });
    this.overlayReturn = null;
  }

  private addFiles(files: File[]): void {
    for (const f of files) {
      const name = f.name || `image-${Date.now()}.${(f.type.split('/')[1] ?? 'bin').split(';')[0]}`;
      this.uploads.add(f, name);
    }
    this.scrollToBottom();
  }

  /** renderUploads reconciles the tray with the uploads in progress or failed. */
  private renderUploads(): void {
    const s = this.s;
    const list = this.uploads.list();
    const seen = new Set<string>();
    for (const item of list) {
      seen.add(item.key);
      let row = this.uploadRows.get(item.key);
      if (!row) {
        row = this.createUploadRow(item);
        this.uploadRows.set(item.key, row);
        this.tray.appendChild(row);
      }
      const st = item.state;
      row.dataset.state = st.status;
      const pct = st.status === 'uploading' ? Math.round(st.progress * 100) : 0;
      row.dataset.progress = String(pct);
      const bar = row.querySelector('.sb-upload-bar') as HTMLElement;
      bar.setAttribute('aria-valuenow', String(pct));
      (bar.firstElementChild as HTMLElement).style.width = `${pct}%`;
      bar.hidden = st.status !== 'uploading';
      (row.querySelector('.sb-upload-cancel') as HTMLElement).hidden = st.status !== 'uploading';
      const err = row.querySelector('.sb-upload-error') as HTMLElement;
      const retry = row.querySelector('.sb-upload-retry') as HTMLElement;
      const dismiss = row.querySelector('.sb-upload-dismiss') as HTMLElement;
      if (st.status === 'failed') {
        const reason =
          st.code === 'network' ? s.uploadNetwork : st.code === 'not_ready' ? s.uploadNotReady : errorText(s, st.code);
        err.textContent = format(s.uploadFailed, { name: item.name, reason });
        err.dataset.code = st.code;
      }
      err.hidden = st.status !== 'failed';
      retry.hidden = !(st.status === 'failed' && st.retryable);
      dismiss.hidden = st.status !== 'failed';
    }
    for (const [key, row] of this.uploadRows) {
      if (!seen.has(key)) {
        row.remove();
        this.uploadRows.delete(key);
      }
    }
  }

  private createUploadRow(item: UploadItem): HTMLElement {
    const s = this.s;
    const row = this.el('div', 'sb-upload');
    row.dataset.testid = 'sb-upload';
    row.dataset.kind = item.kind;
    const name = this.text('span', 'sb-upload-name', item.name);
    name.title = item.name;
    const bar = this.el('div', 'sb-upload-bar');
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-label', format(s.uploading, { name: item.name }));
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    bar.appendChild(this.el('div', 'sb-upload-fill'));
    const cancel = this.el('button', 'sb-upload-cancel') as HTMLButtonElement;
    cancel.type = 'button';
    cancel.dataset.testid = 'sb-upload-cancel';
    cancel.title = s.uploadCancel;
    cancel.setAttribute('aria-label', `${s.uploadCancel} ${item.name}`);
    cancel.appendChild(this.icon(ICON_CLOSE, 'sb-close-icon'));
    this.listen(cancel, 'click', () => this.uploads.cancel(item.key));
    const err = this.el('p', 'sb-upload-error');
    err.dataset.testid = 'sb-upload-error';
    err.setAttribute('role', 'alert');
    const retry = this.text('button', 'sb-upload-retry', s.uploadRetry) as HTMLButtonElement;
    retry.type = 'button';
    retry.dataset.testid = 'sb-upload-retry';
    this.listen(retry, 'click', () => this.uploads.retry(item.key));
    const dismiss = this.text('button', 'sb-upload-dismiss', s.uploadDismiss) as HTMLButtonElement;
    dismiss.type = 'button';
    dismiss.dataset.testid = 'sb-upload-dismiss';
    this.listen(dismiss, 'click', () => this.uploads.dismiss(item.key));
    row.append(name, bar, cancel, err, retry, dismiss);
    return row;
  }

  /** renderResumeHints names uploads a page reload cut off, once per conversation. */
  private renderResumeHints(again = false): void {
    const id = this.client.conversation?.id ?? '';
    if (!id || (id === this.hintsFor && !again)) return;
    this.hintsFor = id;
    void this.uploads.interrupted().then((list) => {
      if (this.hintsFor !== id) return;
      this.hints.replaceChildren(
        ...list.map((u) => {
          const p = this.text('p', 'sb-upload-hint', format(this.s.uploadResumeHint, { name: u.name }));
          p.dataset.testid = 'sb-upload-resume-hint';
          return p;
        }),
      );
    });
  }

  private renderRecorder(st: RecorderState): void {
    if (!this.recordBtn) return;
    const s = this.s;
    const on = st.status === 'recording';
    this.recordBtn.dataset.state = st.status;
    this.recordBtn.setAttribute('aria-pressed', String(on));
    this.recordBtn.title = on ? s.voiceStop : s.voiceRecord;
    this.recordBtn.setAttribute('aria-label', this.recordBtn.title);
    if (this.recordTimer) clearInterval(this.recordTimer);
    this.recordTimer = null;
    this.recordTime.textContent = '';
    if (on) {
      const tick = () => {
        this.recordTime.textContent = formatDuration(Date.now() - st.startedAt);
      };
      tick();
      this.recordTimer = setInterval(tick, 500);
    }
    if (st.status === 'failed') this.showNotice(s.voiceDenied);
  }

  /** buildLeave makes the leave-a-message form shown while nobody can answer. */
  private buildLeave(): HTMLElement {
    const s = this.s;
    const box = this.el('div', 'sb-card sb-leave');
    box.hidden = true;
    const form = this.el('form', 'sb-leave-form') as HTMLFormElement;
    form.dataset.testid = 'sb-leave-form';
    form.noValidate = true;
    const title = this.text('p', 'sb-card-title', s.leaveTitle);
    title.id = 'sb-leave-title';
    form.setAttribute('aria-labelledby', title.id);

    this.leaveText = this.el('textarea', 'sb-field sb-leave-text') as HTMLTextAreaElement;
    this.leaveText.dataset.testid = 'sb-leave-text';
    this.leaveText.id = 'sb-leave-text';
    this.leaveText.rows = 3;
    this.leaveText.required = true;
    this.leaveText.maxLength = MAX_TEXT_RUNES;
    this.leaveText.placeholder = s.leavePlaceholder;
    this.listen(this.leaveText, 'input', () => this.leaveText.removeAttribute('aria-invalid'));

    this.leaveContact = this.el('input', 'sb-field sb-leave-contact') as HTMLInputElement;
    this.leaveContact.dataset.testid = 'sb-leave-contact';
    this.leaveContact.id = 'sb-leave-contact';
    this.leaveContact.type = 'text';
    this.leaveContact.autocomplete = 'email';
    this.leaveContact.maxLength = MAX_CONTACT_CHARS;
    this.leaveContact.placeholder = s.leaveContactPlaceholder;

    this.leaveSubmit = this.el('button', 'sb-button sb-leave-submit') as HTMLButtonElement;
    this.leaveSubmit.type = 'submit';
    this.leaveSubmit.dataset.testid = 'sb-leave-submit';
    this.leaveSubmit.textContent = s.leaveSubmit;

    form.append(
      title,
      this.label('sb-leave-text', s.leaveText),
      this.leaveText,
      this.label('sb-leave-contact', s.leaveContact),
      this.leaveContact,
      this.leaveSubmit,
    );
    this.listen(form, 'submit', (e) => {
      e.preventDefault();
      this.submitLeave();
    });
    this.leaveForm = form;

    this.leaveDone = this.text('p', 'sb-card-done sb-leave-done', s.leaveDone);
    this.leaveDone.dataset.testid = 'sb-leave-done';
    this.leaveDone.setAttribute('role', 'status');
    this.leaveDone.hidden = true;

    box.append(form, this.leaveDone);
    this.leave = box;
    return box;
  }

  /** buildRating makes the rating card shown once the conversation is resolved. */
  private buildRating(): DocumentFragment {
    const s = this.s;
    const card = this.el('form', 'sb-card sb-rating') as HTMLFormElement;
    card.dataset.testid = 'sb-rating';
    card.noValidate = true;
    card.hidden = true;
    const title = this.text('p', 'sb-card-title', s.ratingTitle);
    title.id = 'sb-rating-title';
    card.setAttribute('aria-labelledby', title.id);

    const stars = this.el('div', 'sb-stars');
    stars.setAttribute('role', 'group');
    stars.setAttribute('aria-label', s.ratingStars);
    this.ratingStars = [];
    for (let n = 1; n <= 5; n++) {
      const b = this.el('button', 'sb-star sb-rating-star') as HTMLButtonElement;
      b.type = 'button';
      b.dataset.testid = 'sb-rating-star';
      b.dataset.score = String(n);
      b.textContent = '★';
      b.title = format(s.ratingStar, { n });
      b.setAttribute('aria-label', b.title);
      b.setAttribute('aria-pressed', 'false');
      this.listen(b, 'click', () => {
        this.score = n;
        this.renderRating();
      });
      this.ratingStars.push(b);
      stars.appendChild(b);
    }

    this.ratingComment = this.el('textarea', 'sb-field sb-rating-comment') as HTMLTextAreaElement;
    this.ratingComment.dataset.testid = 'sb-rating-comment';
    this.ratingComment.id = 'sb-rating-comment';
    this.ratingComment.rows = 2;
    this.ratingComment.maxLength = MAX_RATING_COMMENT_RUNES;
    this.ratingComment.placeholder = s.ratingCommentPlaceholder;

    this.ratingError = this.el('p', 'sb-card-error sb-rating-error');
    this.ratingError.dataset.testid = 'sb-rating-error';
    this.ratingError.setAttribute('role', 'alert');
    this.ratingError.hidden = true;

    this.ratingSubmit = this.el('button', 'sb-button sb-rating-submit') as HTMLButtonElement;
    this.ratingSubmit.type = 'submit';
    this.ratingSubmit.dataset.testid = 'sb-rating-submit';
    this.ratingSubmit.textContent = s.ratingSubmit;

    card.append(
      title,
      stars,
      this.label('sb-rating-comment', s.ratingComment),
      this.ratingComment,
      this.ratingError,
      this.ratingSubmit,
    );
    this.listen(card, 'submit', (e) => {
      e.preventDefault();
      if (this.score > 0) this.client.rate(this.score, this.ratingComment.value);
    });
    this.rating = card;

    this.ratingThanks = this.text('p', 'sb-card-done sb-rating-thanks', s.ratingThanks);
    this.ratingThanks.dataset.testid = 'sb-rating-thanks';
    this.ratingThanks.setAttribute('role', 'status');
    this.ratingThanks.hidden = true;

    const frag = this.doc.createDocumentFragment();
    frag.append(card, this.ratingThanks);
    return frag;
  }

  private submitLeave(): void {
    if (this.leaveState.status !== 'editing') return;
    const text = this.leaveText.value;
    if (text.trim() === '') {
      this.leaveText.setAttribute('aria-invalid', 'true');
      this.leaveText.focus();
      return;
    }
    const contact = this.leaveContact.value.trim();
    const ext: Record<string, string> = { [EXT_LEFT_MESSAGE]: 'true' };
    if (contact) ext[EXT_CONTACT] = contact;
    const r = this.client.send(text, ext);
    if (!r.ok) return; // the client reported why; the form keeps what was typed
    this.leaveState = { status: 'sending', clientMsgId: r.pending.client_msg_id };
    this.render();
    this.scrollToBottom();
  }

  private submit(): void {
    const text = this.input.value;
    if (text.trim() === '') return;
    const r = this.client.send(text);
    if (!r.ok) return; // the client reported why; the text stays in the box
    this.input.value = '';
    this.autosize();
    this.scrollToBottom();
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
  }

  // --- rendering ------------------------------------------------------------

  private renderStatus(state: ConnState): void {
    const shown = state === 'online' ? 'online' : state === 'connecting' ? 'connecting' : 'offline';
    this.status.dataset.state = shown;
    this.statusText.textContent =
      shown === 'online' ? this.s.statusOnline : shown === 'connecting' ? this.s.statusConnecting : this.s.statusOffline;
  }

  /** render brings everything drawn from the client's data up to date. */
  private render(): void {
    const atBottom =
      this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 48;
    const items = this.renderTranscript();
    this.renderQuickReplies(items);
    this.renderQueue();
    this.renderLeave();
    this.renderRating();
    this.renderExport(items);
    if (atBottom) this.scrollToBottom();
  }

  // --- transcript export ----------------------------------------------------

  private buildExportButton(): HTMLButtonElement {
    const b = this.el('button', 'sb-close sb-export-btn') as HTMLButtonElement;
    b.type = 'button';
    b.dataset.testid = 'sb-transcript-menu';
    b.title = this.s.transcriptMenu;
    b.setAttribute('aria-label', this.s.transcriptMenu);
    b.setAttribute('aria-expanded', 'false');
    b.setAttribute('aria-controls', 'sb-export');
    b.appendChild(this.icon(ICON_EXPORT, 'sb-close-icon'));
    b.hidden = true;
    this.listen(b, 'click', () => this.toggleExport());
    this.exportBtn = b;
    return b;
  }

  private buildExportMenu(): HTMLElement {
    const s = this.s;
    const menu = this.el('div', 'sb-export');
    menu.id = 'sb-export';
    menu.dataset.testid = 'sb-transcript-panel';
    menu.hidden = true;
    const download = (format: TranscriptFormat, label: string, testid: string): HTMLButtonElement => {
      const b = this.text('button', 'sb-export-action', label) as HTMLButtonElement;
      b.type = 'button';
      b.dataset.testid = testid;
      this.listen(b, 'click', () => void this.download(format));
      return b;
    };
    const form = this.el('form', 'sb-export-email') as HTMLFormElement;
    form.noValidate = true;
    form.dataset.testid = 'sb-transcript-email';
    const id = 'sb-export-address';
    this.exportAddress = this.el('input', 'sb-export-address') as HTMLInputElement;
    this.exportAddress.id = id;
    this.exportAddress.type = 'email';
    this.exportAddress.autocomplete = 'email';
    this.exportAddress.maxLength = 254;
    this.exportAddress.placeholder = s.transcriptEmailPlaceholder;
    this.exportAddress.dataset.testid = 'sb-transcript-email-address';
    this.listen(this.exportAddress, 'input', () => (this.addressTouched = true));
    const send = this.text('button', 'sb-export-action', s.transcriptEmailSend) as HTMLButtonElement;
    send.type = 'submit';
    send.dataset.testid = 'sb-transcript-email-send';
    form.append(this.label(id, s.transcriptEmailLabel), this.exportAddress, send);
    this.listen(form, 'submit', (e) => {
      e.preventDefault();
      void this.email();
    });
    this.exportEmail = form;
    this.exportStatus = this.el('p', 'sb-export-status');
    this.exportStatus.dataset.testid = 'sb-transcript-status';
    this.exportStatus.setAttribute('role', 'status');
    menu.append(
      download('html', s.transcriptDownloadHtml, 'sb-transcript-download-html'),
      download('text', s.transcriptDownloadText, 'sb-transcript-download-text'),
      form,
      this.exportStatus,
    );
    this.exportMenu = menu;
    return menu;
  }

  private toggleExport(): void {
    const open = this.exportMenu.hidden;
    this.exportMenu.hidden = !open;
    this.exportBtn.setAttribute('aria-expanded', String(open));
    if (open) {
      this.exportStatus.textContent = '';
      this.renderExport(null);
    }
  }

  /**
   * renderExport shows the transcript button once the conversation has a
   * stored message, and the email form when the server sends email.
   */
  private renderExport(items: Item[] | null): void {
    const list = items ?? this.client.transcript.items();
    const has = !!this.client.transcript.conversationId && list.some((it) => it.seq !== null);
    this.exportBtn.hidden = !has;
    if (!has) {
      this.exportMenu.hidden = true;
      this.exportBtn.setAttribute('aria-expanded', 'false');
    }
    this.exportEmail.hidden = !this.client.transcriptEmail;
    const known = this.client.email;
    if (known && !this.addressTouched && !this.exportAddress.value) this.exportAddress.value = known;
  }

  private async download(format: TranscriptFormat): Promise<void> {
    const id = this.client.transcript.conversationId;
    if (!id || this.exportBusy) return;
    this.exportBusy = true;
    this.exportStatus.textContent = this.s.transcriptDownloading;
    const r = await this.exporter.download(id, format, this.opts.locale);
    this.exportBusy = false;
    this.exportStatus.textContent = r.ok ? this.s.transcriptDownloaded : this.exportError(r.code);
  }

  private async email(): Promise<void> {
    const id = this.client.transcript.conversationId;
    if (!id || this.exportBusy) return;
    const to = this.exportAddress.value.trim();
    if (!EMAIL_RE.test(to)) {
      this.exportStatus.textContent = this.s.transcriptEmailInvalid;
      this.exportAddress.focus();
      return;
    }
    this.exportBusy = true;
    this.exportStatus.textContent = this.s.transcriptEmailing;
    const r = await this.exporter.email(id, to, this.opts.locale);
    this.exportBusy = false;
    this.exportStatus.textContent = r.ok
      ? format(this.s.transcriptEmailed, { to: r.to ?? to })
      : r.code === 'invalid_request'
        ? this.s.transcriptEmailInvalid
        : this.exportError(r.code);
  }

  private exportError(code: string): string {
    const t = errorText(this.s, code);
    return t === this.s.errorFallback ? this.s.transcriptFailed : t;
  }

  /**
   * renderTranscript reconciles the rows with the client's transcript by key,
   * so a pending row becomes its acknowledged self without being rebuilt.
   * It returns the items shown.
   */
  private renderTranscript(): Item[] {
    const items = this.client.transcript.items().filter((it) => this.eventText(it) !== null);
    const seen = new Set<string>();
    let cursor: ChildNode | null = this.list.firstChild;
    let prev: Item | null = null;
    for (const it of items) {
      const showName =
        (it.role === 'bot' || it.role === 'agent') && (prev === null || prev.senderKey !== it.senderKey);
      let row = this.rows.get(it.key);
      if (!row || row.item.role !== it.role || row.item.kind !== it.kind) {
        row?.el.remove();
        row = this.createRow(it);
        this.rows.set(it.key, row);
      }
      this.updateRow(row, it, showName);
      if (row.el === cursor) cursor = cursor.nextSibling;
      else this.list.insertBefore(row.el, cursor);
      seen.add(it.key);
      prev = it;
    }
    for (const [key, row] of this.rows) {
      if (!seen.has(key)) {
        row.el.remove();
        this.rows.delete(key);
      }
    }
    return items;
  }

  /** renderQueue shows the place in line while the conversation is queued. */
  private renderQueue(): void {
    const q = this.client.queue;
    this.queue.hidden = q === null;
    if (!q) return;
    this.queue.dataset.open = String(q.open);
    const text = queueText(this.s, q);
    // Unchanged text is not rewritten, so screen readers do not repeat it.
    if (this.queueText.textContent !== text) this.queueText.textContent = text;
  }

  /**
   * renderLeave offers the leave-a-message form while the conversation is
   * queued with nobody to take it, and confirms once the message is stored.
   */
  private renderLeave(): void {
    const c = this.client.conversation;
    const id = c?.id ?? '';
    if (id !== this.leaveFor) {
      this.leaveFor = id;
      this.leaveState = { status: 'editing' };
    }
    const st = this.leaveState;
    if (st.status === 'sending') {
      const t = this.client.transcript;
      if (!t.pendingMessages().some((p) => p.client_msg_id === st.clientMsgId)) {
        const stored = t.items().some((it) => it.key === st.clientMsgId && it.seq !== null);
        // Refused for good (the client said why): the form still holds the text.
        this.leaveState = stored ? { status: 'done' } : { status: 'editing' };
        if (stored) this.leaveForm.reset();
      }
    }
    if (this.leaveState.status === 'done' && c?.state !== ConversationState.Queued) {
      // Taken out of the queue: a later wait with nobody online asks afresh.
      this.leaveState = { status: 'editing' };
    }
    const q = this.client.queue;
    const done = this.leaveState.status === 'done';
    const queued = c?.state === ConversationState.Queued;
    this.leave.hidden = !((q !== null && !q.open) || (done && queued));
    this.leaveForm.hidden = done;
    this.leaveDone.hidden = !done;
    const sending = this.leaveState.status === 'sending';
    this.leaveText.disabled = sending;
    this.leaveContact.disabled = sending;
    this.leaveSubmit.disabled = sending;
    this.leaveSubmit.textContent = sending ? this.s.leaveSending : this.s.leaveSubmit;
  }

  /**
   * renderRating shows the rating card while a resolved conversation is not
   * rated, and a thank-you line once it is.
   */
  private renderRating(): void {
    const c = this.client.conversation;
    const id = c?.id ?? '';
    if (id !== this.ratingFor) {
      this.ratingFor = id;
      this.score = 0;
      this.ratingComment.value = '';
    }
    const r = this.client.rating;
    const mine = r.status !== 'idle' && r.conversationId === id;
    const rated = !!c && ((c.rating ?? 0) > 0 || (mine && r.status === 'done'));
    const state = c?.state;
    this.rating.hidden = !(state === ConversationState.Resolved && !rated);
    this.ratingThanks.hidden = !(
      rated &&
      (state === ConversationState.Resolved || state === ConversationState.Closed)
    );
    if (this.rating.hidden) return;

    const sending = mine && r.status === 'sending';
    // illegal_transition: rated elsewhere already, or the window closed.
    const over = mine && r.status === 'failed' && r.code === 'illegal_transition';
    let error = '';
    if (mine && r.status === 'failed') {
      error = over
        ? this.s.ratingWindowOver
        : r.code === 'not_sent'
          ? this.s.ratingNotSent
          : errorText(this.s, r.code);
    }
    if (this.ratingError.textContent !== error) this.ratingError.textContent = error;
    this.ratingError.hidden = error === '';
    for (const b of this.ratingStars) {
      const n = Number(b.dataset.score);
      b.setAttribute('aria-pressed', String(n === this.score));
      b.classList.toggle('sb-star--on', n <= this.score);
      b.disabled = sending || over;
    }
    this.ratingComment.disabled = sending || over;
    this.ratingSubmit.disabled = sending || over || this.score === 0;
    this.ratingSubmit.textContent = sending ? this.s.ratingSending : this.s.ratingSubmit;
  }

  /**
   * renderQuickReplies offers the bot's suggestions while its message is the
   * newest one; they go away as soon as anyone writes again.
   */
  private renderQuickReplies(items: Item[]): void {
    const last = items[items.length - 1];
    const replies = last?.role === 'bot' ? (last.quickReplies ?? []) : [];
    const key = replies.length ? `${last.key}:${replies.join('\n')}` : '';
    if (this.quick.dataset.key === key) return;
    this.quick.dataset.key = key;
    this.quick.replaceChildren();
    this.quick.hidden = replies.length === 0;
    for (const text of replies) {
      const b = this.el('button', 'sb-quick-reply') as HTMLButtonElement;
      b.type = 'button';
      b.dataset.testid = 'sb-quick-reply';
      b.textContent = text;
      this.quick.appendChild(b);
    }
  }

  private createRow(it: Item): Row {
    const el = this.el('div', `sb-row sb-row--${it.role}`);
    el.dataset.testid = 'sb-message';
    el.dataset.role = it.role;
    if (it.role === 'system') {
      const lineEl = this.el('span', 'sb-event');
      el.appendChild(lineEl);
      return { el, item: it, nameEl: null, metaEl: null, lineEl, card: null, feedback: null };
    }
    let nameEl: HTMLElement | null = null;
    if (it.role !== 'customer') {
      nameEl = this.el('div', 'sb-name');
      nameEl.textContent =
        it.name || (it.role === 'bot' ? this.s.botFallbackName : this.s.agentFallbackName);
      el.appendChild(nameEl);
    }
    const bubble = this.el('div', 'sb-bubble');
    const card = this.renderBody(bubble, it);
    if (it.createdAt) bubble.title = new Date(it.createdAt).toLocaleString(this.root.lang);
    el.dataset.kind = it.kind;
    el.appendChild(bubble);
    const metaEl = this.el('div', 'sb-meta');
    el.appendChild(metaEl);
    return { el, item: it, nameEl, metaEl, lineEl: null, card, feedback: null };
  }

  /**
   * createFeedback builds the line that asks whether a bot answer helped,
   * with a thumbs up and a thumbs down; the answer replaces the question
   * with thanks, and a second click changes the verdict.
   */
  private createFeedback(row: Row): FeedbackView {
    const el = this.el('div', 'sb-feedback');
    el.dataset.testid = 'sb-feedback';
    el.setAttribute('role', 'group');
    el.setAttribute('aria-label', this.s.feedbackAsk);
    const text = this.el('span', 'sb-feedback-text');
    text.setAttribute('aria-live', 'polite');
    const button = (helpful: boolean) => {
      const b = this.el('button', 'sb-feedback-btn') as HTMLButtonElement;
      b.type = 'button';
      b.dataset.testid = helpful ? 'sb-feedback-up' : 'sb-feedback-down';
      b.setAttribute('aria-label', helpful ? this.s.feedbackUp : this.s.feedbackDown);
      b.title = helpful ? this.s.feedbackUp : this.s.feedbackDown;
      // Drawn, not emoji: a page without an emoji font shows them too.
      b.appendChild(this.icon(helpful ? ICON_THUMB_UP : ICON_THUMB_DOWN, 'sb-feedback-icon'));
      this.listen(b, 'click', () => {
        const seq = row.item.seq;
        if (seq !== null) this.client.sendFeedback(seq, helpful);
      });
      return b;
    };
    const up = button(true);
    const down = button(false);
    el.append(text, up, down);
    row.el.insertBefore(el, row.metaEl);
    return { el, text, up, down };
  }

  /** updateFeedback shows where the customer's verdict on a bot answer stands. */
  private updateFeedback(row: Row, it: Item): void {
    if (it.role !== 'bot' || !it.kbEntry || it.seq === null) {
      row.feedback?.el.remove();
      row.feedback = null;
      return;
    }
    row.feedback ??= this.createFeedback(row);
    const f = row.feedback;
    const st = this.client.feedbackOf(it.seq);
    f.el.dataset.state = st?.status ?? 'ask';
    if (st) f.el.dataset.helpful = String(st.helpful);
    else delete f.el.dataset.helpful;
    f.text.textContent =
      st?.status === 'done' ? this.s.feedbackThanks : st?.status === 'failed' ? this.s.feedbackNotSent : this.s.feedbackAsk;
    const chosen = st && st.status !== 'failed' ? st.helpful : null;
    f.up.setAttribute('aria-pressed', String(chosen === true));
    f.down.setAttribute('aria-pressed', String(chosen === false));
  }

  /**
   * renderBody fills a message bubble by the message's kind; a kind this
   * version does not know gets a neutral placeholder. Returns the card
   * view of a card message.
   */
  private renderBody(bubble: HTMLElement, it: Item): CardView | null {
    const ctx: AttachmentContext = {
      doc: this.doc,
      s: this.s,
      files: this.files,
      openImage: (a) => this.openImage(a),
    };
    const caption = () => {
      if (!it.text) return;
      const p = this.el('p', 'sb-caption');
      renderText(p, it.text);
      bubble.appendChild(p);
    };
    switch (it.kind) {
      case 'text':
        renderText(bubble, it.text);
        return null;
      case 'image':
      case 'file':
      case 'voice': {
        bubble.classList.add('sb-bubble--media');
        const a = it.attachment;
        if (!a) break;
        bubble.appendChild(
          it.kind === 'image' && showsInline(a)
            ? renderImage(ctx, a)
            : it.kind === 'voice'
              ? renderVoice(ctx, a)
              : renderFile(ctx, a),
        );
        caption();
        return null;
      }
      case 'card': {
        bubble.classList.add('sb-bubble--card');
        const seq = it.seq;
        const view = renderCard(
          {
            doc: this.doc,
            s: this.s,
            locale: this.opts.locale,
            act: (action, values) => seq !== null && this.client.cardAction(seq, action, values).ok,
            openURL: (u) => (this.opts.openURL ? this.opts.openURL(u) : void this.doc.defaultView?.open(u, '_blank', 'noopener,noreferrer')),
          },
          it.card,
          it.text,
        );
        bubble.appendChild(view.el);
        return view;
      }
    }
    const p = this.text('span', 'sb-unknown', this.s.unknownKind);
    p.dataset.testid = 'sb-msg-unknown';
    bubble.appendChild(p);
    return null;
  }

  private updateRow(row: Row, it: Item, showName: boolean): void {
    row.item = it;
    if (it.seq !== null) row.el.dataset.seq = String(it.seq);
    else delete row.el.dataset.seq;
    if (it.pending) row.el.dataset.pending = 'true';
    else delete row.el.dataset.pending;
    if (row.nameEl) row.nameEl.hidden = !showName;
    if (row.card && it.seq !== null) row.card.update(this.client.transcript.cardActions(it.seq));
    if (row.lineEl) row.lineEl.textContent = this.eventText(it) ?? '';
    this.updateFeedback(row, it);
    if (row.metaEl) {
      row.metaEl.textContent = it.pending ? this.s.pending : '';
      row.metaEl.hidden = !it.pending;
    }
  }

  /** eventText is the line shown for a system event, or null to show nothing. */
  private eventText(it: Item): string | null {
    if (it.role !== 'system') return '';
    const ev = it.event;
    if (!ev || typeof ev.type !== 'string') return it.text || null;
    return eventLine(this.s, ev, this.client.conversation?.assignee_name ?? '');
  }

  private setUnread(n: number): void {
    this.unread = n;
    this.badge.hidden = n === 0;
    this.badge.textContent = n > 99 ? '99+' : String(n);
    this.badge.setAttribute('aria-label', format(this.s.unread, { n }));
  }

  private showNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = false;
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => {
      this.notice.hidden = true;
      this.noticeTimer = null;
    }, 6000);
  }

  private scrollToBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  // --- DOM building ---------------------------------------------------------

  private el(tag: string, className: string): HTMLElement {
    const e = this.doc.createElement(tag);
    e.className = className;
    return e;
  }

  private text(tag: string, className: string, text: string): HTMLElement {
    const e = this.el(tag, className);
    e.textContent = text;
    return e;
  }

  private label(forId: string, text: string): HTMLElement {
    const l = this.text('label', 'sb-label', text);
    l.setAttribute('for', forId);
    return l;
  }

  private icon(d: string, className: string, filled = false): SVGSVGElement {
    const svg = this.doc.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', className);
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    const path = this.doc.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    if (filled) {
      path.setAttribute('fill', 'currentColor');
    } else {
      path.setAttribute('fill', 'none');
      path.setAttribute('stroke', 'currentColor');
      path.setAttribute('stroke-width', '2');
      path.setAttribute('stroke-linecap', 'round');
      path.setAttribute('stroke-linejoin', 'round');
    }
    svg.appendChild(path);
    return svg;
  }

  private listen(target: EventTarget, type: string, fn: (e: Event) => void): void {
    target.addEventListener(type, fn);
    this.teardown.push(() => target.removeEventListener(type, fn));
  }
}
