import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ApiError } from '../../api';
import { I18nProvider } from '../../i18n';
import { runCommand } from '../shortcuts/commands';
import { Composer } from './Composer';
import { emptyDraft, loadDraft, saveDraft, type Draft } from './drafts';

function Harness(props: {
  initial?: Draft;
  onSend?(text: string): Promise<ApiError | null>;
  onSendNote?(text: string, id: string): Promise<ApiError | null>;
}) {
  const [draft, setDraft] = useState<Draft>(props.initial ?? emptyDraft);
  return (
    <I18nProvider lang="en">
      <Composer
        disabledReason={null}
        customerName="Wang"
        draft={draft}
        onDraft={setDraft}
        onSend={props.onSend ?? (() => Promise.resolve(null))}
        onSendNote={props.onSendNote ?? (() => Promise.resolve(null))}
        onError={() => {}}
      />
    </I18nProvider>
  );
}

describe('Composer', () => {
  it('sends on Enter and adds a line on Shift+Enter', async () => {
    const onSend = vi.fn(() => Promise.resolve(null));
    const user = userEvent.setup();
    render(<Harness onSend={onSend} />);
    const input = screen.getByTestId('composer-input');
    await user.type(input, 'first{Shift>}{Enter}{/Shift}second');
    expect(onSend).not.toHaveBeenCalled();
    expect(input).toHaveValue('first\nsecond');
    await user.type(input, '{Enter}');
    expect(onSend).toHaveBeenCalledWith('first\nsecond');
    expect(input).toHaveValue('');
  });

  it('keeps the text when sending fails', async () => {
    const err = { code: 'unavailable', message: 'x' } as ApiError;
    const user = userEvent.setup();
    render(<Harness onSend={() => Promise.resolve(err)} />);
    const input = screen.getByTestId('composer-input');
    await user.type(input, 'keep me{Enter}');
    expect(input).toHaveValue('keep me');
  });

  it('sends a private note in note mode, styled as a note, with one key across retries', async () => {
    const err = { code: 'unavailable', message: 'offline' } as ApiError;
    const onSend = vi.fn(() => Promise.resolve(null));
    const onSendNote = vi
      .fn<(text: string, id: string) => Promise<ApiError | null>>()
      .mockResolvedValueOnce(err)
      .mockResolvedValue(null);
    const user = userEvent.setup();
    render(<Harness onSend={onSend} onSendNote={onSendNote} />);
    const toggle = screen.getByTestId('composer-note-toggle');
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(screen.queryByTestId('composer-note-banner')).toBeNull();

    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('composer')).toHaveAttribute('data-mode', 'note');
    expect(screen.getByTestId('composer')).toHaveClass('composer-note');
    expect(screen.getByTestId('composer-note-banner')).toHaveTextContent('only agents see it');
    expect(screen.getByTestId('composer-send')).toHaveTextContent('Add note');

    const input = screen.getByTestId('composer-input');
    await user.type(input, 'VIP customer{Enter}');
    await user.type(input, '{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(onSendNote).toHaveBeenCalledTimes(2);
    const [first, second] = onSendNote.mock.calls.map((c) => c[1]);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first); // the retry reuses the key: stored once
    expect(input).toHaveValue('');
    // Note mode stays on for the next note.
    expect(screen.getByTestId('composer')).toHaveAttribute('data-mode', 'note');
  });

  it('toggles note mode and focuses by shortcut command', async () => {
    render(<Harness />);
    runCommand('focusComposer');
    expect(screen.getByTestId('composer-input')).toHaveFocus();
    await vi.waitFor(() => {
      runCommand('toggleNote');
      expect(screen.getByTestId('composer')).toHaveAttribute('data-mode', 'note');
    });
  });
});

describe('drafts', () => {
  it('are kept per conversation and survive a restart (localStorage)', () => {
    saveDraft('c1', { text: 'half a reply', note: false });
    saveDraft('c2', { text: 'a note', note: true });
    expect(loadDraft('c1')).toEqual({ text: 'half a reply', note: false });
    expect(loadDraft('c2')).toEqual({ text: 'a note', note: true });
    expect(loadDraft('c3')).toEqual(emptyDraft);
    saveDraft('c1', emptyDraft);
    expect(window.localStorage.getItem('switchboard.drafts')).not.toContain('c1');
  });

  it('forget drafts untouched for a month', () => {
    const now = Date.now();
    saveDraft('old', { text: 'stale', note: false }, now - 40 * 24 * 3600_000);
    saveDraft('new', { text: 'fresh', note: false }, now);
    expect(loadDraft('old')).toEqual(emptyDraft);
    expect(loadDraft('new').text).toBe('fresh');
  });
});
