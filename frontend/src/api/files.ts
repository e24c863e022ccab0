// Bindings of uploads, downloads, cards and canned responses (app/upload.go,
// app/download.go, app/app_files.go). Like index.ts, the only code that
// touches the Wails globals for them.

import { ApiError, toApiError } from './errors';
import { EVENTS } from './events';
import type { Card, Message } from './types';
import { isRecord, on } from './runtime';

/** Payload of `upload:progress` (app.UploadProgress). */
export interface UploadProgress {
  upload_id: string;
  conversation_id: string;
  name: string;
  mime: string;
  sent: number;
  size: number;
}

/** Payload of `upload:done`: the file is on the server, its message pending. */
export interface UploadDone {
  upload_id: string;
  conversation_id: string;
  message: Message;
}

/** Payload of `upload:failed`; code "cancelled" when the agent cancelled. */
export interface UploadFailed {
  upload_id: string;
  conversation_id: string;
  name: string;
  code: string;
  message: string;
}

/** Payload of `download:progress` (app.DownloadProgress). */
export interface DownloadProgress {
  download_id: string;
  file_id: string;
  name: string;
  received: number;
  size: number;
  done?: boolean;
  path?: string;
  error?: string;
}

/** Where an exported transcript was saved (app.TranscriptExport); no path when the dialog was cancelled. */
export interface TranscriptExport {
  path?: string;
  name?: string;
  bytes?: number;
}

/** A transcript's format: one HTML document or plain text. */
export type TranscriptFormat = 'html' | 'text';

/** A canned response (app.CannedResponse). */
export interface CannedResponse {
  shortcut: string;
  text: string;
  text_zh: string;
}

/** The bound methods of app.App this module uses. */
export interface FileBindings {
  ChooseAndUpload(conversationID: string): Promise<UploadProgress[] | null>;
  UploadPaths(conversationID: string, paths: string[]): Promise<UploadProgress[] | null>;
  UploadData(
    conversationID: string,
    name: string,
    mime: string,
    data: string,
  ): Promise<UploadProgress>;
  ListUploads(): Promise<UploadProgress[] | null>;
  CancelUpload(uploadID: string): Promise<void>;
  DownloadFile(fileID: string, name: string): Promise<DownloadProgress>;
  ExportTranscript(
    conversationID: string,
    format: TranscriptFormat,
    lang: 'zh' | 'en',
    internal: boolean,
  ): Promise<TranscriptExport>;
  FileDataURL(fileID: string, thumb: boolean): Promise<string>;
  SendCard(conversationID: string, card: Card): Promise<Message>;
  CannedResponses(): Promise<CannedResponse[] | null>;
}

async function call<M extends keyof FileBindings>(
  method: M,
  ...args: Parameters<FileBindings[M]>
): Promise<Awaited<ReturnType<FileBindings[M]>>> {
  const fn = window.go?.app?.App?.[method] as
    ((...a: Parameters<FileBindings[M]>) => ReturnType<FileBindings[M]>) | undefined;
  if (typeof fn !== 'function') {
    throw new ApiError('unavailable', `desktop binding ${method} is not available`);
  }
  try {
    return await fn(...args);
  } catch (err) {
    throw toApiError(err);
  }
}

/** Opens the native file dialog and uploads what the agent picks. */
export async function chooseAndUpload(conversationID: string): Promise<UploadProgress[]> {
  return (await call('ChooseAndUpload', conversationID)) ?? [];
}

/** Uploads files dropped on the window, by path. */
export async function uploadPaths(
  conversationID: string,
  paths: string[],
): Promise<UploadProgress[]> {
  return (await call('UploadPaths', conversationID, paths)) ?? [];
}

/** Uploads a file the web view holds (a paste), as base64 without the data: prefix. */
export function uploadData(
  conversationID: string,
  name: string,
  mime: string,
  base64: string,
): Promise<UploadProgress> {
  return call('UploadData', conversationID, name, mime, base64);
}

/** Lists the unfinished uploads (they resume on their own after a restart). */
export async function listUploads(): Promise<UploadProgress[]> {
  return (await call('ListUploads')) ?? [];
}

/** Cancels an upload; `upload:failed` with code "cancelled" follows. */
export async function cancelUpload(uploadID: string): Promise<void> {
  await call('CancelUpload', uploadID);
}

/** Asks where to save a file and downloads it there, with `download:progress` events. */
export function downloadFile(fileID: string, name: string): Promise<DownloadProgress> {
  return call('DownloadFile', fileID, name);
}

/**
 * Fetches a conversation's transcript as the server renders it (internal:
 * with the internal notes, marked) and saves it where the agent picks in
 * the native save dialog.
 */
export function exportTranscript(
  conversationID: string,
  format: TranscriptFormat,
  lang: 'zh' | 'en',
  internal: boolean,
): Promise<TranscriptExport> {
  return call('ExportTranscript', conversationID, format, lang, internal);
}

const dataURLs = new Map<string, Promise<string>>();

/** An image (or its thumbnail) as a data URL; the token stays on the Go side. Cached per run. */
export function fileDataURL(fileID: string, thumb: boolean): Promise<string> {
  const key = `${fileID}:${thumb ? 't' : 'f'}`;
  let p = dataURLs.get(key);
  if (!p) {
    p = call('FileDataURL', fileID, thumb);
    p.catch(() => dataURLs.delete(key));
    dataURLs.set(key, p);
  }
  return p;
}

/** Forgets cached data URLs (tests; sign-out). */
export function clearFileCache(): void {
  dataURLs.clear();
}

/** Sends a card; resolves to the pending message, like send. */
export function sendCard(conversationID: string, card: Card): Promise<Message> {
  return call('SendCard', conversationID, card);
}

/** The agent's canned responses. */
export async function cannedResponses(): Promise<CannedResponse[]> {
  return (await call('CannedResponses')) ?? [];
}

const hasUploadId = (v: unknown): v is { upload_id: string; conversation_id: string } =>
  isRecord(v) && typeof v.upload_id === 'string' && typeof v.conversation_id === 'string';

/** Subscribes to `upload:progress`. */
export function onUploadProgress(cb: (p: UploadProgress) => void): () => void {
  return on(
    EVENTS.uploadProgress,
    (v): v is UploadProgress => hasUploadId(v) && typeof (v as UploadProgress).sent === 'number',
    cb,
  );
}

/** Subscribes to `upload:done`. */
export function onUploadDone(cb: (d: UploadDone) => void): () => void {
  return on(
    EVENTS.uploadDone,
    (v): v is UploadDone => hasUploadId(v) && isRecord((v as UploadDone).message),
    cb,
  );
}

/** Subscribes to `upload:failed`. */
export function onUploadFailed(cb: (f: UploadFailed) => void): () => void {
  return on(
    EVENTS.uploadFailed,
    (v): v is UploadFailed => hasUploadId(v) && typeof (v as UploadFailed).code === 'string',
    cb,
  );
}

/** Subscribes to `download:progress`. */
export function onDownloadProgress(cb: (p: DownloadProgress) => void): () => void {
  return on(
    EVENTS.downloadProgress,
    (v): v is DownloadProgress =>
      isRecord(v) && typeof v.download_id === 'string' && typeof v.file_id === 'string',
    cb,
  );
}

/** Subscribes to `files:dropped`: files dropped on the window, by path. */
export function onFilesDropped(cb: (paths: string[]) => void): () => void {
  return on(
    EVENTS.filesDropped,
    (v): v is { paths: string[] } => isRecord(v) && Array.isArray(v.paths),
    (v) => cb(v.paths),
  );
}
