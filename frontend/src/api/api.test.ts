import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { installFakeWails } from '../test/fakeWails';
import * as api from './index';
import { ERROR_CODES } from './codes';

const conversationStub = {
  id: 'c1',
  customer_id: 'v1',
  customer_name: 'V',
  channel: 'web',
  state: 'active',
  epoch: 1,
  last_seq: 0,
  customer_read_seq: 0,
  agent_read_seq: 0,
  created_at: 0,
  updated_at: 0,
};

describe('toApiError', () => {
  it.each([
    [
      'bad_credentials: wrong username or password',
      'bad_credentials',
      'wrong username or password',
    ],
    [
      'unavailable: dial tcp 127.0.0.1:1: connection refused',
      'unavailable',
      'dial tcp 127.0.0.1:1: connection refused',
    ],
    ['something odd happened', 'internal', 'something odd happened'],
  ])('toApiError(%j)', (input, code, message) => {
    const e = api.toApiError(input);
    expect(e).toBeInstanceOf(api.ApiError);
    expect([e.code, e.message]).toEqual([code, message]);
  });

  it('reads Error objects and coded objects', () => {
    expect(api.toApiError(new Error('forbidden: no')).code).toBe('forbidden');
    expect(api.toApiError({ code: 'not_found', message: 'x' }).code).toBe('not_found');
  });
});

describe('bindings', () => {
  it('rejects with ApiError carrying the code', async () => {
    installFakeWails({
      SignIn: () => Promise.reject('bad_credentials: wrong username or password'),
    });
    await expect(api.signIn('http://x', 'a', 'b')).rejects.toMatchObject({
      name: 'ApiError',
      code: 'bad_credentials',
    });
  });

  it('reports a missing binding as unavailable', async () => {
    await expect(api.accept('c1')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('turns null lists into empty ones', async () => {
    installFakeWails({ ListConversations: () => Promise.resolve(null) });
    await expect(api.listConversations('queue')).resolves.toEqual([]);
  });

  it('passes exactly one transfer target to the Go side', async () => {
    const fake = installFakeWails({
      Transfer: (id) => Promise.resolve({ ...conversationStub, id }),
    });
    await api.transfer('c1', { agentId: 'u_bob' }, 'note');
    await api.transfer('c2', { team: 'aftersales' }, '');
    expect(fake.app.Transfer.mock.calls).toEqual([
      ['c1', 'u_bob', '', 'note'],
      ['c2', '', 'aftersales', ''],
    ]);
  });

  it('turns null and absent context and directory lists into empty ones', async () => {
    installFakeWails({
      Context: () =>
        Promise.resolve({
          conversation_id: 'c1',
          customer: { id: 'v1', name: 'V', created_at: 0, conversations: 1 },
          previous: null,
        }),
      Directory: () => Promise.resolve({ agents: null, teams: null }),
    });
    await expect(api.context('c1')).resolves.toMatchObject({
      previous: [],
      packet: undefined,
      tags: [],
      notes: [],
    });
    await expect(api.directory()).resolves.toEqual({ agents: [], teams: [] });
  });

  it('passes tag changes and customer notes to the Go side, codes errors', async () => {
    const note = {
      id: 'n1',
      customer_id: 'v1',
      author_id: 'u_alice',
      author_name: 'Alice',
      text: 'prefers email',
      created_at: 1,
    };
    const fake = installFakeWails({
      SetTags: (id, add) => Promise.resolve({ ...conversationStub, id, tags: add }),
      AddCustomerNote: () => Promise.resolve(note),
    });
    await expect(api.setTags('c1', ['vip'], [])).resolves.toMatchObject({ tags: ['vip'] });
    await api.setTags('c1', [], ['vip', 'refund']);
    expect(fake.app.SetTags.mock.calls).toEqual([
      ['c1', ['vip'], []],
      ['c1', [], ['vip', 'refund']],
    ]);
    await expect(api.addCustomerNote('c1', 'prefers email')).resolves.toEqual(note);
    expect(fake.app.AddCustomerNote).toHaveBeenCalledWith('c1', 'prefers email');
    fake.app.SetTags.mockRejectedValueOnce('invalid_request: tag is longer than 32 characters');
    await expect(api.setTags('c1', ['x'], [])).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'tag is longer than 32 characters',
    });
  });

  it('reads the bot report and the knowledge base without nulls, passes edits, codes conflicts', async () => {
    const fake = installFakeWails({
      BotReport: () =>
        Promise.resolve({
          open: 1,
          kb_version: 4,
          groups: [
            {
              id: 'g1',
              count: 1,
              questions: null,
              reasons: null,
              locale: 'en',
              last_at: 5,
            },
          ],
        }),
      KnowledgeBase: () =>
        Promise.resolve({
          version: 4,
          entries: [
            {
              id: 'e1',
              team: 'presales',
              questions: { zh: null, en: ['Hi?'] },
              answer: { zh: '你好', en: 'Hi' },
            },
          ],
        }),
      EditKnowledgeBase: () => Promise.reject('conflict: the knowledge base changed'),
    });
    const r = await api.botReport(10);
    expect(fake.app.BotReport).toHaveBeenCalledWith(10);
    expect(r.groups?.[0]).toMatchObject({ questions: [], reasons: {}, suggestions: [] });
    const kb = await api.knowledgeBase(true);
    expect(fake.app.KnowledgeBase).toHaveBeenCalledWith(true);
    expect(kb.entries?.[0]?.questions).toEqual({ zh: [], en: ['Hi?'] });
    expect(kb.history).toEqual([]);
    const edit = { op: 'dismiss', base_version: 4, miss_ids: ['m1'] };
    await expect(api.editKnowledgeBase(edit)).rejects.toMatchObject({ code: 'conflict' });
    expect(fake.app.EditKnowledgeBase).toHaveBeenCalledWith(edit);
  });

  it('lists shared canned responses without nulls, passes edits, codes refusals, forwards pushes', async () => {
    const fake = installFakeWails({
      CannedList: () =>
        Promise.resolve({
          responses: [
            { id: 'r1', team: '', title: 'Hi', shortcut: 'hi', text: { zh: '', en: 'Hi' } },
          ],
        } as never),
      EditCanned: () => Promise.reject('duplicate_shortcut: another canned response has /hi'),
    });
    expect(await api.cannedList()).toEqual([
      {
        id: 'r1',
        team: '',
        title: 'Hi',
        shortcut: 'hi',
        text: { zh: '', en: 'Hi' },
        updated_by: '',
        updated_at: 0,
      },
    ]);
    fake.app.CannedList.mockResolvedValueOnce({ responses: null });
    expect(await api.cannedList()).toEqual([]);
    const edit = { op: 'create', team: 'presales', shortcut: 'hi', text: { zh: '', en: 'Hi' } };
    await expect(api.editCanned(edit)).rejects.toMatchObject({ code: 'duplicate_shortcut' });
    expect(fake.app.EditCanned).toHaveBeenCalledWith(edit);

    const got: unknown[] = [];
    const off = api.onCannedChanged((c) => got.push(c));
    fake.emit('canned:changed', { response: { id: 'r1', shortcut: 'hi' }, deleted: true });
    fake.emit('canned:changed', { deleted: true });
    off();
    fake.emit('canned:changed', { response: { id: 'r2' } });
    expect(got).toEqual([
      {
        response: {
          id: 'r1',
          team: '',
          title: '',
          shortcut: 'hi',
          text: { zh: '', en: '' },
          updated_by: '',
          updated_at: 0,
        },
        deleted: true,
      },
    ]);
  });

  it('searches messages: passes the query and limit, drops malformed hits, codes errors', async () => {
    const message = {
      conversation_id: 'c1',
      seq: 3,
      client_msg_id: 'm3',
      sender: { role: 'customer' },
      kind: 'text',
      visibility: 'public',
      text: 'order SO-1',
      created_at: 1,
    };
    const fake = installFakeWails({
      SearchMessages: () =>
        Promise.resolve([
          { message, conversation: conversationStub },
          { message: null, conversation: conversationStub } as never,
        ]),
    });
    await expect(api.searchMessages('ord', 50)).resolves.toEqual([
      { message, conversation: conversationStub },
    ]);
    expect(fake.app.SearchMessages).toHaveBeenCalledWith('ord', 50);
    fake.app.SearchMessages.mockResolvedValueOnce(null);
    await expect(api.searchMessages('x', 50)).resolves.toEqual([]);
    fake.app.SearchMessages.mockRejectedValueOnce('invalid_request: query too long');
    await expect(api.searchMessages('x', 50)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('returns a teardown from every subscription', () => {
    const fake = installFakeWails();
    const cb = vi.fn();
    const off = api.onAck(cb);
    expect(fake.listeners('ack')).toBe(1);
    fake.emit('ack', {
      conversation_id: 'c1',
      client_msg_id: 'p',
      seq: 1,
      epoch: 1,
      created_at: 1,
    });
    fake.emit('ack', 'garbage');
    off();
    expect(fake.listeners('ack')).toBe(0);
    expect(cb).toHaveBeenCalledTimes(1);
  });
});

describe('ERROR_CODES', () => {
  // The Go side owns the list; keep the mirror equal (a Go test checks the same).
  const errorsGo = resolve(process.cwd(), '../protocol/errors.go');
  it.skipIf(!existsSync(errorsGo))('mirrors protocol.Codes()', () => {
    const src = readFileSync(errorsGo, 'utf8');
    const codeOf = new Map<string, string>();
    for (const m of src.matchAll(/(Err\w+)\s*=\s*&Error\{Code:\s*"([a-z_]+)"/g))
      codeOf.set(m[1]!, m[2]!);
    const body = /func Codes\(\)[^{]*\{[\s\S]*?\{([\s\S]*?)\}/.exec(src)?.[1] ?? '';
    const names = body.split(/[\s,]+/).filter((n) => n.startsWith('Err'));
    expect(names.map((n) => codeOf.get(n))).toEqual([...ERROR_CODES]);
  });
});
