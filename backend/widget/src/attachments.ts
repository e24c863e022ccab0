// The bodies of image, file and voice messages. Content is fetched with the
// visitor token (files.ts) when it is needed: an image's thumbnail when the
// row is drawn, a file when it is downloaded, a voice message when played.

import { fileBadge, formatDuration, formatSize, type FileFetcher } from './files';
import { format, type Strings } from './i18n';
import type { Attachment } from './protocol';

/** AttachmentContext is what the bodies need from the view. */
export interface AttachmentContext {
  doc: Document;
  s: Strings;
  files: FileFetcher;
  /** openImage shows an image full size in the overlay. */
  openImage(a: Attachment): void;
}

function node<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * MAX_INLINE_PIXELS is the largest image shown inline without a thumbnail:
 * the server makes none of an image too big to decode within its memory
 * budget (a decompression bomb), and decoding it in the page would cost the
 * browser as much, so it is offered as a file instead.
 */
export const MAX_INLINE_PIXELS = 16_000_000;

/** showsInline reports whether an image attachment is shown as a picture. */
export function showsInline(a: Attachment): boolean {
  return !!a.has_thumb || (a.width ?? 0) * (a.height ?? 0) <= MAX_INLINE_PIXELS;
}

/** renderImage is a thumbnail button that enlarges the image. */
export function renderImage(ctx: AttachmentContext, a: Attachment): HTMLElement {
  const { doc, s } = ctx;
  const btn = node(doc, 'button', 'sb-image');
  btn.type = 'button';
  btn.dataset.testid = 'sb-msg-image';
  btn.dataset.state = 'loading';
  btn.title = s.imageOpen;
  btn.setAttribute('aria-label', `${format(s.imageAlt, { name: a.name })} — ${s.imageOpen}`);
  const img = node(doc, 'img', 'sb-image-thumb');
  img.alt = format(s.imageAlt, { name: a.name });
  if (a.width && a.height) {
    // Reserve the box before the bytes arrive, so the transcript does not jump.
    const scale = Math.min(1, 220 / a.width, 220 / a.height);
    img.width = Math.max(1, Math.round(a.width * scale));
    img.height = Math.max(1, Math.round(a.height * scale));
  }
  btn.appendChild(img);
  if (a.id) {
    ctx.files.url(a.id, !!a.has_thumb).then(
      (u) => {
        img.src = u;
        btn.dataset.state = 'ready';
      },
      () => {
        btn.dataset.state = 'failed';
        btn.appendChild(node(doc, 'span', 'sb-image-failed', s.imageLoadFailed));
      },
    );
    btn.addEventListener('click', () => ctx.openImage(a));
  }
  return btn;
}

/** renderFile is the file's name, size and type, with a download button. */
export function renderFile(ctx: AttachmentContext, a: Attachment): HTMLElement {
  const { doc, s } = ctx;
  const box = node(doc, 'div', 'sb-file');
  box.dataset.testid = 'sb-msg-file';
  const icon = node(doc, 'span', 'sb-file-icon', fileBadge(a.mime, a.name));
  icon.dataset.badge = icon.textContent ?? '';
  icon.setAttribute('aria-hidden', 'true');
  const info = node(doc, 'div', 'sb-file-info');
  const name = node(doc, 'span', 'sb-file-name', a.name);
  name.title = a.name;
  info.append(name, node(doc, 'span', 'sb-file-size', formatSize(a.size)));
  const dl = node(doc, 'button', 'sb-file-download', s.fileDownload);
  dl.type = 'button';
  dl.dataset.testid = 'sb-file-download';
  dl.setAttribute('aria-label', `${s.fileDownload} ${a.name}`);
  dl.disabled = !a.id;
  dl.addEventListener('click', () => {
    dl.disabled = true;
    box.dataset.state = 'downloading';
    ctx.files.url(a.id).then(
      (u) => {
        const link = doc.createElement('a');
        link.href = u;
        link.download = a.name;
        link.rel = 'noopener';
        link.hidden = true;
        box.appendChild(link);
        link.click();
        link.remove();
        box.dataset.state = 'done';
        dl.disabled = false;
      },
      () => {
        box.dataset.state = 'failed';
        dl.disabled = false;
        dl.title = s.fileDownloadFailed;
        let err = box.querySelector<HTMLElement>('.sb-file-error');
        if (!err) {
          err = node(doc, 'span', 'sb-file-error', s.fileDownloadFailed);
          err.setAttribute('role', 'alert');
          info.appendChild(err);
        }
      },
    );
  });
  box.append(icon, info, dl);
  return box;
}

/**
 * renderVoice is a play button with the voice message's progress and
 * duration; the audio is fetched on the first play.
 */
export function renderVoice(ctx: AttachmentContext, a: Attachment): HTMLElement {
  const { doc, s } = ctx;
  const box = node(doc, 'div', 'sb-voice');
  box.dataset.testid = 'sb-msg-voice';
  box.dataset.state = 'idle';
  const play = node(doc, 'button', 'sb-voice-play');
  play.type = 'button';
  play.dataset.testid = 'sb-voice-play';
  play.setAttribute('aria-label', s.voicePlay);
  play.textContent = '▶';
  const bar = node(doc, 'div', 'sb-voice-bar');
  bar.setAttribute('role', 'progressbar');
  bar.setAttribute('aria-label', s.voiceMessage);
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', '100');
  bar.setAttribute('aria-valuenow', '0');
  const fill = node(doc, 'div', 'sb-voice-fill');
  bar.appendChild(fill);
  let durationMS = a.duration_ms ?? 0;
  const time = node(doc, 'span', 'sb-voice-time', durationMS ? formatDuration(durationMS) : '');
  box.append(play, bar, time);

  let audio: HTMLAudioElement | null = null;
  const paint = () => {
    if (!audio) return;
    const d = Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration * 1000 : durationMS;
    if (d > 0) durationMS = d;
    const pos = audio.currentTime * 1000;
    const pct = durationMS > 0 ? Math.min(100, Math.round((pos / durationMS) * 100)) : 0;
    fill.style.width = `${pct}%`;
    bar.setAttribute('aria-valuenow', String(pct));
    time.textContent = durationMS > 0 ? `${formatDuration(pos)} / ${formatDuration(durationMS)}` : formatDuration(pos);
  };
  const setPlaying = (on: boolean) => {
    box.dataset.state = on ? 'playing' : 'paused';
    play.textContent = on ? '❚❚' : '▶';
    play.setAttribute('aria-label', on ? s.voicePause : s.voicePlay);
  };
  play.addEventListener('click', () => {
    if (audio) {
      if (audio.paused) void audio.play().catch(() => setPlaying(false));
      else audio.pause();
      return;
    }
    if (!a.id || box.dataset.state === 'loading') return;
    box.dataset.state = 'loading';
    ctx.files.url(a.id).then(
      (u) => {
        const el = doc.createElement('audio');
        el.preload = 'auto';
        el.src = u;
        el.addEventListener('timeupdate', paint);
        el.addEventListener('loadedmetadata', paint);
        el.addEventListener('play', () => setPlaying(true));
        el.addEventListener('pause', () => setPlaying(false));
        el.addEventListener('ended', () => {
          setPlaying(false);
          paint();
        });
        audio = el;
        box.appendChild(el);
        void el.play().catch(() => setPlaying(false));
      },
      () => {
        box.dataset.state = 'failed';
      },
    );
  });
  return box;
}
