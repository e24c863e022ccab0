// client_msg_id generation: a time-ordered (version 7) UUID.

/**
 * newClientMsgID returns a fresh version 7 UUID (RFC 9562): 48 bits of Unix
 * milliseconds, then random bits. Ids that grow with time keep the server's
 * index of them appending at its end instead of writing all over it.
 * crypto.getRandomValues is available in every context, secure or not.
 */
export function newClientMsgID(c: Pick<Crypto, 'getRandomValues'> = crypto, now: number = Date.now()): string {
  const b = c.getRandomValues(new Uint8Array(16));
  let ms = Math.max(0, Math.floor(now));
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
