// client_msg_id generation: a random (version 4) UUID.

/**
 * newClientMsgID returns a fresh UUID. crypto.randomUUID exists only in
 * secure contexts (https, localhost), so plain-http pages get one built from
 * crypto.getRandomValues, which is available everywhere.
 */
export function newClientMsgID(c: Pick<Crypto, 'getRandomValues'> & Partial<Pick<Crypto, 'randomUUID'>> = crypto): string {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
