// A small SMTP server for the end-to-end tests: it speaks enough of RFC 5321
// (plain text, no authentication) for the server's transcript emails and
// keeps every message it accepts, so a test can read what a customer would
// get. Only ever on 127.0.0.1.
import net from 'node:net';

/** Decodes a quoted-printable body part to UTF-8 text. */
export function decodeQuotedPrintable(s) {
  const bytes = [];
  const soft = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(soft.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Starts the sink on a free port of 127.0.0.1. It returns the port, the
 * messages received ({from, to, data}), waitFor(pred, ms) for the first
 * message pred accepts, and close().
 */
export async function startSMTPSink() {
  const messages = [];
  const waiters = new Set();
  const sockets = new Set();
  const srv = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    sock.setEncoding('latin1'); // bytes as they came; bodies are decoded later
    let buf = '';
    let data = null; // the DATA lines while reading a message
    let from = '';
    let to = [];
    const say = (line) => sock.write(`${line}\r\n`);
    say('220 localhost ESMTP e2e sink');
    sock.on('data', (chunk) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        if (data !== null) {
          if (line === '.') {
            const msg = { from, to, data: data.join('\r\n') };
            messages.push(msg);
            for (const w of waiters) w(msg);
            data = null;
            from = '';
            to = [];
            say('250 2.0.0 queued');
          } else {
            data.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          say('250-localhost');
          say('250 8BITMIME');
        } else if (verb === 'HELO') say('250 localhost');
        else if (verb === 'MAIL') {
          from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          say('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          say('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          data = [];
          say('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'RSET') {
          from = '';
          to = [];
          say('250 2.0.0 ok');
        } else if (verb === 'NOOP') say('250 2.0.0 ok');
        else if (verb === 'QUIT') {
          say('221 2.0.0 bye');
          sock.end();
        } else say('502 5.5.2 not implemented');
      }
    });
  });
  await new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: srv.address().port,
    messages,
    waitFor(pred, timeoutMs = 15_000) {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`no email as wanted within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        const w = (m) => {
          if (!pred(m)) return;
          clearTimeout(timer);
          waiters.delete(w);
          resolve(m);
        };
        waiters.add(w);
      });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => srv.close(r));
    },
  };
}
