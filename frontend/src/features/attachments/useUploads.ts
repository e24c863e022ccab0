import { useEffect, useRef, useState } from 'react';
import type { Message } from '../../api';
import {
  listUploads,
  onUploadDone,
  onUploadFailed,
  onUploadProgress,
  type UploadProgress,
} from '../../api/files';

/** An upload as the composer shows it. */
export type UploadItem =
  | { status: 'uploading'; id: string; name: string; sent: number; size: number }
  | { status: 'failed'; id: string; name: string; code: string; message: string };

/**
 * The uploads of one conversation, kept current from the upload events.
 * A finished upload leaves the list and its pending message goes to onDone;
 * a cancelled one leaves silently; a refused one stays with its reason.
 * An upload that has ended is not brought back by a progress report that
 * arrives after the end (events can be delivered out of order, as under
 * `wails dev`, and a ListUploads answer can predate the end).
 */
export function useUploads(conversationId: string, onDone: (m: Message) => void): UploadItem[] {
  // Keyed by upload id, each with its conversation: switching conversations
  // filters instead of resetting, so no state is set during the effect.
  const [items, setItems] = useState<Record<string, UploadItem & { conv: string }>>({});
  const ended = useRef(new Set<string>());
  useEffect(() => {
    let live = true;
    const put = (p: UploadProgress) => {
      if (ended.current.has(p.upload_id)) return;
      setItems((cur) => ({
        ...cur,
        [p.upload_id]: {
          status: 'uploading',
          conv: p.conversation_id,
          id: p.upload_id,
          name: p.name,
          sent: p.sent,
          size: p.size,
        },
      }));
    };
    const drop = (id: string) => {
      ended.current.add(id);
      setItems((cur) => {
        if (!(id in cur)) return cur;
        const next = { ...cur };
        delete next[id];
        return next;
      });
    };
    listUploads().then(
      (list) => live && list.filter((p) => p.conversation_id === conversationId).forEach(put),
      () => {},
    );
    const offs = [
      onUploadProgress((p) => p.conversation_id === conversationId && put(p)),
      onUploadDone((d) => {
        if (d.conversation_id !== conversationId) return;
        drop(d.upload_id);
        onDone(d.message);
      }),
      onUploadFailed((f) => {
        if (f.conversation_id !== conversationId) return;
        if (f.code === 'cancelled') drop(f.upload_id);
        else {
          ended.current.add(f.upload_id);
          setItems((cur) => ({
            ...cur,
            [f.upload_id]: {
              status: 'failed',
              conv: f.conversation_id,
              id: f.upload_id,
              name: f.name,
              code: f.code,
              message: f.message,
            },
          }));
        }
      }),
    ];
    return () => {
      live = false;
      offs.forEach((off) => off());
    };
  }, [conversationId, onDone]);
  return Object.values(items).filter((u) => u.conv === conversationId);
}
