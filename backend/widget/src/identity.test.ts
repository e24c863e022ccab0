import { describe, expect, it } from 'vitest';
import { ChatClient, identitySubject, type ClientEvent, type IdentitySource } from './client';
import { FakeEnv, settle } from './testutil';

const SERVER = 'http://127.0.0.1:8080';

/** jwt builds an unsigned token with claims: the widget never verifies, the server does. */
function jwt(claims: Record<string, unknown>): string {
  const b64 = (s: string) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(s)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  return `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(JSON.stringify(claims))}.sig`;
}

function newClient(identity: IdentitySource | undefined, env = new FakeEnv()) {
  const client = new ChatClient({ server: SERVER, ext: {}, locale: 'en', identity }, env);
  const events: ClientEvent[] = [];
  client.on((e) => events.push(e));
  return { env, client, events };
}

describe('identitySubject', () => {
  it('reads sub, including non-ASCII ids, and nothing from garbage', () => {
    expect(identitySubject(jwt({ sub: 'u-1001' }))).toBe('u-1001');
    expect(identitySubject(jwt({ sub: '张伟' }))).toBe('张伟');
    expect(identitySubject(jwt({ name: 'x' }))).toBeNull();
    expect(identitySubject('garbage')).toBeNull();
    expect(identitySubject('a.!!!.c')).toBeNull();
  });
});

describe('ChatClient identity', () => {
  it('asks for the visitor token with the identity, keeping the anonymous token apart', async () => {
    const env = new FakeEnv();
    // An anonymous visitor's token from an earlier visit is not used.
    env.storage.set(`switchboard:${SERVER}:visitor`, JSON.stringify({ token: 'anon', visitor_id: 'v-1', expires_at: env.clock + 3_600_000 }));
    const token = jwt({ sub: 'u-1001', exp: 9e9 });
    const { client } = newClient(token, env);
    client.start();
    await settle();
    expect(env.fetchCalls.map((c) => c.body)).toEqual([{ identity: token }]);
    env.socket.accept();
    expect((env.socket.last('hello').data as { token: string }).token).toBe('tok-1');
    expect(JSON.parse(env.storage.get(`switchboard:${SERVER}:user:u-1001:visitor`) ?? '{}').verified).toBe(true);
    expect(JSON.parse(env.storage.get(`switchboard:${SERVER}:visitor`) ?? '{}').token).toBe('anon');
  });

  it('asks again on every page load, then reuses the token within it', async () => {
    const env = new FakeEnv();
    const token = jwt({ sub: 'u-1001', exp: 9e9 });
    const first = newClient(token, env).client;
    first.start();
    await settle();
    first.stop();
    // The same page reconnecting reuses the token it got.
    first.start();
    await settle();
    expect(env.fetchCalls).toHaveLength(1);
    first.stop();
    // A new page load (a new client) asks with the identity again.
    const second = newClient(token, env).client;
    second.start();
    await settle();
    expect(env.fetchCalls.map((c) => c.body)).toEqual([{ identity: token }, { identity: token }]);
  });

  it('calls an identity function for a fresh token', async () => {
    let calls = 0;
    const { env, client } = newClient(async () => {
      calls++;
      return jwt({ sub: 'u-7', n: calls });
    });
    client.start();
    await settle();
    expect(calls).toBe(1);
    expect(env.fetchCalls[0].body).toEqual({ identity: jwt({ sub: 'u-7', n: 1 }) });
  });

  it.each(['identity_invalid', 'identity_expired'])('on %s says so and chats as an anonymous visitor', async (code) => {
    const env = new FakeEnv();
    env.identityRefusal = code;
    const token = jwt({ sub: 'u-1001' });
    const { client, events } = newClient(token, env);
    client.start();
    await settle();
    expect(env.fetchCalls.map((c) => c.body)).toEqual([{ identity: token }, {}]);
    expect(events).toContainEqual({ type: 'error', code, message: '' });
    env.socket.accept();
    expect((env.socket.last('hello').data as { token: string }).token).toBe('tok-1');
  });
});
