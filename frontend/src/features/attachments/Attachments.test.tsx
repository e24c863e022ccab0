import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../api';
import { clearFileCache, type FileBindings } from '../../api/files';
import { I18nProvider } from '../../i18n';
import { installFakeWails } from '../../test/fakeWails';
import { AttachmentView, clearDownloads } from './AttachmentView';
import { formatBytes, formatDuration } from './format';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

function fileBindings(over: Partial<FileBindings> = {}) {
  const fake = installFakeWails();
  const b = {
    FileDataURL: vi.fn<FileBindings['FileDataURL']>(() => Promise.resolve(PNG)),
    DownloadFile: vi.fn<FileBindings['DownloadFile']>(() => new Promise(() => {})),
    ...over,
  };
  Object.assign(window.go!.app!.App!, b);
  return { fake, b };
}

function msg(kind: string, attachment: Message['attachment'], text = ''): Message {
  return {
    conversation_id: 'c1',
    seq: 5,
    client_msg_id: 'm5',
    sender: { role: 'customer', id: 'v1', name: 'Wang' },
    kind,
    visibility: 'public',
    text,
    attachment,
    created_at: 1,
  };
}

function show(m: Message) {
  return render(
    <I18nProvider lang="en">
      <AttachmentView m={m} />
    </I18nProvider>,
  );
}

afterEach(() => {
  clearFileCache();
  clearDownloads();
});

describe('attachments', () => {
  it('shows an image thumbnail and enlarges it on click', async () => {
    const { b } = fileBindings();
    const user = userEvent.setup();
    show(
      msg(
        'image',
        { id: 'f1', name: 'a.png', size: 10, mime: 'image/png', has_thumb: true },
        'look',
      ),
    );
    const img = await screen.findByRole('img', { name: 'a.png' });
    expect(img).toHaveAttribute('src', PNG);
    expect(b.FileDataURL).toHaveBeenCalledWith('f1', true);
    expect(screen.getByText('look')).toBeInTheDocument();
    await user.click(screen.getByTestId('msg-image'));
    expect(await screen.findByTestId('image-viewer')).toBeInTheDocument();
    expect(b.FileDataURL).toHaveBeenCalledWith('f1', false);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('image-viewer')).not.toBeInTheDocument();
  });

  it('offers an image too big to decode as a file, without loading it', async () => {
    const { b } = fileBindings();
    show(
      msg('image', { id: 'big', name: 'scan.png', size: 300_000, mime: 'image/png', width: 6000, height: 6000 }),
    );
    expect(screen.queryByTestId('msg-image')).not.toBeInTheDocument();
    expect(screen.getByText('scan.png')).toBeInTheDocument();
    expect(b.FileDataURL).not.toHaveBeenCalled();
  });

  it('says so when an image cannot be loaded', async () => {
    fileBindings({ FileDataURL: () => Promise.reject('not_found: nope') });
    show(msg('image', { id: 'f2', name: 'b.png', size: 10, mime: 'image/png' }));
    expect(await screen.findByText('Image unavailable')).toBeInTheDocument();
  });

  it('downloads a file with progress', async () => {
    const { fake, b } = fileBindings();
    const user = userEvent.setup();
    show(msg('file', { id: 'f3', name: 'report.pdf', size: 2048, mime: 'application/pdf' }));
    const file = screen.getByTestId('msg-file');
    expect(file).toHaveTextContent('report.pdf');
    expect(file).toHaveTextContent('2.0 KB');
    await user.click(screen.getByTestId('file-download'));
    expect(b.DownloadFile).toHaveBeenCalledWith('f3', 'report.pdf');
    act(() =>
      fake.emit('download:progress', {
        download_id: 'd1',
        file_id: 'f3',
        name: 'report.pdf',
        received: 1024,
        size: 2048,
      }),
    );
    expect(screen.getByTestId('file-download')).toHaveAttribute('data-progress', '0.50');
    expect(screen.getByTestId('file-download')).toBeDisabled();
    act(() =>
      fake.emit('download:progress', {
        download_id: 'd1',
        file_id: 'f3',
        name: 'report.pdf',
        received: 2048,
        size: 2048,
        done: true,
        path: '/tmp/r.pdf',
      }),
    );
    expect(screen.getByText('Saved')).toBeInTheDocument();
    // Another file's progress is not this one's.
    act(() =>
      fake.emit('download:progress', {
        download_id: 'd2',
        file_id: 'other',
        name: 'x',
        received: 1,
        size: 2,
      }),
    );
    expect(screen.getByText('Saved')).toBeInTheDocument();
  });

  it('keeps the state of a download when its row is drawn again', async () => {
    const { fake } = fileBindings();
    const user = userEvent.setup();
    const m = msg('file', { id: 'f5', name: 'big.zip', size: 4096, mime: 'application/zip' });
    const first = show(m);
    await user.click(screen.getByTestId('file-download'));
    // The virtualized transcript drops the row while the file downloads…
    first.unmount();
    act(() =>
      fake.emit('download:progress', {
        download_id: 'd5',
        file_id: 'f5',
        name: 'big.zip',
        received: 4096,
        size: 4096,
        done: true,
        path: '/tmp/big.zip',
      }),
    );
    // …and draws it again when the agent scrolls back.
    show(m);
    expect(screen.getByText('Saved')).toBeInTheDocument();
  });

  it('plays a voice message and shows its length', async () => {
    const { b } = fileBindings({
      FileDataURL: () => Promise.resolve('data:audio/ogg;base64,AAAA'),
    });
    const user = userEvent.setup();
    show(
      msg('voice', { id: 'f4', name: 'v.ogg', size: 3000, mime: 'audio/ogg', duration_ms: 7000 }),
    );
    const voice = screen.getByTestId('msg-voice');
    expect(voice).toHaveTextContent('0:07');
    expect(voice.querySelector('audio')).toBeNull();
    await user.click(screen.getByTestId('voice-play'));
    await waitFor(() => expect(voice.querySelector('audio')).not.toBeNull());
    expect(voice.querySelector('audio')).toHaveAttribute('src', 'data:audio/ogg;base64,AAAA');
    void b;
  });

  it('formats sizes and durations', () => {
    const cases: [number, string][] = [
      [512, '512 B'],
      [1536, '1.5 KB'],
      [5 * 1024 * 1024, '5.0 MB'],
    ];
    for (const [n, want] of cases) expect(formatBytes(n)).toBe(want);
    expect(formatDuration(65_000)).toBe('1:05');
  });
});
