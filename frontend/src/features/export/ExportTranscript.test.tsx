import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { FileBindings } from '../../api/files';
import { I18nProvider, type Lang } from '../../i18n';
import { installFakeWails } from '../../test/fakeWails';
import { ExportTranscriptButton } from './ExportTranscript';

function bind(impl: FileBindings['ExportTranscript']) {
  installFakeWails();
  const ExportTranscript = vi.fn<FileBindings['ExportTranscript']>(impl);
  Object.assign(window.go!.app!.App!, { ExportTranscript });
  return ExportTranscript;
}

function show(lang: Lang = 'en') {
  return render(
    <I18nProvider lang={lang}>
      <ExportTranscriptButton conversationId="c1" />
    </I18nProvider>,
  );
}

describe('ExportTranscriptButton', () => {
  it('exports as HTML without internal notes by default, in the UI language', async () => {
    const b = bind(() => Promise.resolve({ path: '/home/a/transcript-20260301-c1.html', name: 'x', bytes: 10 }));
    const user = userEvent.setup();
    show('zh-CN');
    await user.click(screen.getByTestId('btn-export-transcript'));
    expect(screen.getByTestId('export-dialog')).toHaveTextContent('导出聊天记录');
    await user.click(screen.getByTestId('export-save'));
    expect(b).toHaveBeenCalledWith('c1', 'html', 'zh', false);
    expect(await screen.findByTestId('export-saved')).toHaveTextContent('已保存到 /home/a/transcript-20260301-c1.html');
  });

  it('passes the text format and internal notes when chosen', async () => {
    const b = bind(() => Promise.resolve({ path: '/tmp/t.txt' }));
    const user = userEvent.setup();
    show('en');
    await user.click(screen.getByTestId('btn-export-transcript'));
    await user.click(screen.getByTestId('export-format-text'));
    await user.click(screen.getByTestId('export-internal'));
    await user.click(screen.getByTestId('export-save'));
    expect(b).toHaveBeenCalledWith('c1', 'text', 'en', true);
    expect(await screen.findByTestId('export-saved')).toHaveTextContent('Saved to /tmp/t.txt');
  });

  it('shows nothing saved when the save dialog was cancelled', async () => {
    const b = bind(() => Promise.resolve({}));
    const user = userEvent.setup();
    show();
    await user.click(screen.getByTestId('btn-export-transcript'));
    await user.click(screen.getByTestId('export-save'));
    await waitFor(() => expect(b).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(screen.getByTestId('export-save')).toBeEnabled());
    expect(screen.queryByTestId('export-saved')).toBeNull();
    expect(screen.queryByTestId('export-error')).toBeNull();
  });

  it('shows the server’s refusal in words', async () => {
    bind(() => Promise.reject(new Error('not_found: conversation not found')));
    const user = userEvent.setup();
    show();
    await user.click(screen.getByTestId('btn-export-transcript'));
    await user.click(screen.getByTestId('export-save'));
    const err = await screen.findByTestId('export-error');
    expect(err.textContent).not.toBe('');
    expect(err.textContent).not.toContain('not_found:');
    await user.click(screen.getByTestId('export-cancel'));
    expect(screen.queryByTestId('export-dialog')).toBeNull();
  });
});
