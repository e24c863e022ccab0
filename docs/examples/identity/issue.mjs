// Issue a Switchboard identity token from a Node.js backend, with nothing
// but node:crypto. Sign it when your user signs in and pass it to the
// widget: Switchboard.init({ identity: token }).
//
//   SWITCHBOARD_IDENTITY_SECRET=<base64 secret> node issue.mjs u-1001 '{"vip":true,"order_no":"SO-7"}'
//   SWITCHBOARD_IDENTITY_ES256_KEY=key.pem     node issue.mjs u-1001
import { createHmac, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/**
 * identityToken signs what your site vouches for about a user: the user id
 * (sub), name and email, and business fields (ext). Keep the lifetime
 * short: the widget asks for a fresh token on every page load.
 */
export function identityToken({ userId, name, email, ext = {}, ttlSeconds = 600, site, secret, es256KeyPem }) {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: es256KeyPem ? 'ES256' : 'HS256', typ: 'JWT', ...(site ? { kid: site } : {}) };
  const claims = { sub: userId, iat: now, exp: now + ttlSeconds, ext, ...(name ? { name } : {}), ...(email ? { email } : {}) };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = es256KeyPem
    ? sign('sha256', Buffer.from(input), { key: createPrivateKey(es256KeyPem), dsaEncoding: 'ieee-p1363' })
    : createHmac('sha256', secret).update(input).digest();
  return `${input}.${b64url(sig)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [userId, ext = '{}'] = process.argv.slice(2);
  const keyFile = process.env.SWITCHBOARD_IDENTITY_ES256_KEY;
  const secret = process.env.SWITCHBOARD_IDENTITY_SECRET;
  console.log(
    identityToken({
      userId,
      name: process.env.USER_NAME,
      ext: JSON.parse(ext),
      site: process.env.SWITCHBOARD_SITE,
      secret: secret && Buffer.from(secret, 'base64'),
      es256KeyPem: keyFile && readFileSync(keyFile),
    }),
  );
}
