import { act, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../i18n';
import { StoreProvider } from '../../state/store';
import {
  alice,
  conversation,
  installFakeWails,
  signedInBoot,
  type FakeWails,
} from '../../test/fakeWails';
import { Alerts, RESIZE_SAVE_MS } from './Alerts';
import { REPEAT_MS } from './offerAlarm';
import { playSound } from './sound';

vi.mock('./sound', () => ({ playSound: vi.fn() }));

const signedIn = signedInBoot(alice, { conn: { state: 'online', clock_offset_ms: 0 } });

const flush = () => act(async () => {});

describe('Alerts', () => {
  let fw: FakeWails;
  let setView: ReturnType<typeof vi.fn>;
  let windowChanged: ReturnType<typeof vi.fn>;

  beforeEach(async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    fw = installFakeWails({ Bootstrap: () => Promise.resolve(signedIn) });
    setView = vi.fn(() => Promise.resolve());
    windowChanged = vi.fn(() => Promise.resolve());
    Object.assign(window.go!.app!.App!, { SetView: setView, WindowChanged: windowChanged });
    render(
      <I18nProvider lang="en">
        <StoreProvider>
          <Alerts />
        </StoreProvider>
      </I18nProvider>,
    );
    await flush();
    await flush();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const offerSounds = () => vi.mocked(playSound).mock.calls.filter(([k]) => k === 'offer').length;

  function offer(id: string, expiresInMs: number) {
    act(() =>
      fw.emit(
        'conversation',
        conversation({
          id,
          state: 'queued',
          offer_agent_id: alice.user.id,
          offer_expires_at: Date.now() + expiresInMs,
        }),
      ),
    );
  }

  it('repeats the offer sound until the offer is accepted', async () => {
    offer('c1', 60_000);
    expect(offerSounds()).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(REPEAT_MS * 2));
    expect(offerSounds()).toBe(3);

    act(() =>
      fw.emit(
        'conversation',
        conversation({ id: 'c1', state: 'active', assignee_id: alice.user.id }),
      ),
    );
    await act(() => vi.advanceTimersByTimeAsync(REPEAT_MS * 4));
    expect(offerSounds()).toBe(3);
  });

  it('stops the offer sound when the offer is declined', async () => {
    offer('c1', 60_000);
    await act(() => vi.advanceTimersByTimeAsync(REPEAT_MS));
    expect(offerSounds()).toBe(2);
    // Declined: the routing offer moves on to another agent.
    act(() =>
      fw.emit('conversation', conversation({ id: 'c1', state: 'queued', offer_agent_id: 'u_bob' })),
    );
    await act(() => vi.advanceTimersByTimeAsync(REPEAT_MS * 4));
    expect(offerSounds()).toBe(2);
  });

  it('stops the offer sound at the expiry', async () => {
    offer('c1', REPEAT_MS + 1000);
    await act(() => vi.advanceTimersByTimeAsync(REPEAT_MS * 5));
    expect(offerSounds()).toBe(2);
  });

  it('chimes for a message the agent cannot see', async () => {
    act(() => fw.emit('message:unseen', { conversation_id: 'c2', seq: 4 }));
    expect(playSound).toHaveBeenCalledWith('message');
  });

  it('reports the view, opens a clicked notification and saves a resized window', async () => {
    expect(setView).toHaveBeenLastCalledWith(
      expect.objectContaining({ conversation_id: '', lang: 'en' }),
    );
    act(() => fw.emit('notification:open', { conversation_id: 'c7' }));
    expect(setView).toHaveBeenLastCalledWith(
      expect.objectContaining({ conversation_id: 'c7', lang: 'en' }),
    );

    act(() => window.dispatchEvent(new Event('blur')));
    expect(setView).toHaveBeenLastCalledWith(
      expect.objectContaining({ conversation_id: 'c7', focused: false }),
    );

    act(() => {
      window.dispatchEvent(new Event('resize'));
      window.dispatchEvent(new Event('resize'));
    });
    await act(() => vi.advanceTimersByTimeAsync(RESIZE_SAVE_MS - 1));
    expect(windowChanged).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(windowChanged).toHaveBeenCalledTimes(1);
  });
});
