import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ApiError, Card, Message } from '../../api';
import type { FileBindings, UploadProgress } from '../../api/files';
import { I18nProvider } from '../../i18n';
import { installFakeWails } from '../../test/fakeWails';
import { Composer } from '../conversation/Composer';
import { emptyDraft, type Draft } from '../conversation/drafts';

const progress = (sent: number, over: Partial<UploadProgress> = {}): UploadProgress => ({
  upload_id: 'up1',
  conversation_id: 'c1',
  name: 'a.pdf',
  mime: 'application/pdf',
  sent,
  size: 1000,
  ...over,
});

function setup(over: Partial<FileBindings> = {}) {
  const fake = installFakeWails();
  const b = {
    ChooseAndUpload: vi.fn<FileBindings['ChooseAndUpload']>(() => Promise.resolve([progress(0)])),
    UploadPaths: vi.fn<FileBindings['UploadPaths']>(() => Promise.resolve([])),
    UploadData: vi.fn<FileBindings['UploadData']>(() => Promise.resolve(progress(0))),
    ListUploads: vi.fn<FileBindings['ListUploads']>(() => Promise.resolve([])),
    CancelUpload: vi.fn<FileBindings['CancelUpload']>(() => Promise.resolve()),
    CannedResponses: vi.fn<FileBindings['CannedResponses']>(() =>
      Promise.resolve([
        { shortcut: 'hello', text: 'Hello! How can I help?', text_zh: '您好！' },
        { shortcut: 'thanks', text: 'Thank you, bye.', text_zh: '谢谢。' },
        { shortcut: 'shipping', text: 'Ships in 24 hours.', text_zh: '24 小时内发货。' },
      ]),
    ),
    ...over,
  };
  Object.assign(window.go!.app!.App!, b);
  const onUploaded = vi.fn<(m: Message) => void>();
  const onSendCard = vi.fn<(c: Card) => Promise<ApiError | null>>(() => Promise.resolve(null));
  const onSend = vi.fn<(t: string) => Promise<ApiError | null>>(() => Promise.resolve(null));
  function Harness() {
    const [draft, setDraft] = useState<Draft>(emptyDraft);
    return (
      <I18nProvider lang="en">
        <Composer
          disabledReason={null}
          customerName="Wang"
          draft={draft}
          onDraft={setDraft}
          onSend={onSend}
          onSendNote={() => Promise.resolve(null)}
          onError={() => {}}
          conversationId="c1"
          onUploaded={onUploaded}
          onSendCard={onSendCard}
        />
      </I18nProvider>
    );
  }
  render(<Harness />);
  return { fake, b, onUploaded, onSendCard, onSend };
}

describe('composer attachments, cards and canned responses', () => {
  it('attaches through the native dialog and shows progress with cancel', async () => {
    const { fake, b, onUploaded } = setup();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('btn-attach'));
    expect(b.ChooseAndUpload).toHaveBeenCalledWith('c1');
    act(() => fake.emit('upload:progress', progress(500)));
    const item = screen.getByTestId('upload-item');
    expect(item).toHaveAttribute('data-progress', '0.50');
    // Another conversation's upload is not shown here.
    act(() =>
      fake.emit('upload:progress', progress(1, { upload_id: 'up2', conversation_id: 'c2' })),
    );
    expect(screen.getAllByTestId('upload-item')).toHaveLength(1);

    await user.click(screen.getByTestId('upload-cancel'));
    expect(b.CancelUpload).toHaveBeenCalledWith('up1');
    act(() =>
      fake.emit('upload:failed', {
        upload_id: 'up1',
        conversation_id: 'c1',
        name: 'a.pdf',
        code: 'cancelled',
        message: '',
      }),
    );
    expect(screen.queryByTestId('upload-item')).not.toBeInTheDocument();

    act(() => fake.emit('upload:progress', progress(900, { upload_id: 'up3' })));
    const m = { conversation_id: 'c1', seq: 0, client_msg_id: 'cm3', kind: 'file' } as Message;
    act(() => fake.emit('upload:done', { upload_id: 'up3', conversation_id: 'c1', message: m }));
    expect(onUploaded).toHaveBeenCalledWith(m);
    expect(screen.queryByTestId('upload-item')).not.toBeInTheDocument();
  });

  it('does not bring back a finished upload on a progress report that arrives late', async () => {
    // Under `wails dev` each event reaches the page on its own goroutine, so the last
    // progress report can overtake upload:done.
    const { fake, onUploaded } = setup();
    act(() => fake.emit('upload:progress', progress(0)));
    const m = { conversation_id: 'c1', seq: 0, client_msg_id: 'cm1', kind: 'file' } as Message;
    act(() => fake.emit('upload:done', { upload_id: 'up1', conversation_id: 'c1', message: m }));
    act(() => fake.emit('upload:progress', progress(1000)));
    expect(onUploaded).toHaveBeenCalledWith(m);
    expect(screen.queryByTestId('upload-item')).not.toBeInTheDocument();
    // Nor a refused one, which keeps its reason.
    act(() =>
      fake.emit('upload:failed', {
        upload_id: 'up2',
        conversation_id: 'c1',
        name: 'b.exe',
        code: 'type_not_allowed',
        message: 'no',
      }),
    );
    act(() => fake.emit('upload:progress', progress(1000, { upload_id: 'up2' })));
    expect(screen.getByTestId('upload-item')).toHaveAttribute('data-status', 'failed');
  });

  it('keeps a refused upload with its reason until dismissed', async () => {
    const { fake } = setup();
    const user = userEvent.setup();
    act(() => fake.emit('upload:progress', progress(0)));
    act(() =>
      fake.emit('upload:failed', {
        upload_id: 'up1',
        conversation_id: 'c1',
        name: 'a.exe',
        code: 'type_not_allowed',
        message: 'no',
      }),
    );
    const item = screen.getByTestId('upload-item');
    expect(item).toHaveAttribute('data-status', 'failed');
    await user.click(screen.getByTestId('upload-cancel'));
    expect(screen.queryByTestId('upload-item')).not.toBeInTheDocument();
  });

  it('shows uploads that resumed after a restart', async () => {
    setup({
      ListUploads: vi.fn<FileBindings['ListUploads']>(() =>
        Promise.resolve([progress(250), progress(1, { upload_id: 'x', conversation_id: 'c9' })]),
      ),
    });
    expect(await screen.findByTestId('upload-item')).toHaveAttribute('data-progress', '0.25');
    expect(screen.getAllByTestId('upload-item')).toHaveLength(1);
  });

  it('uploads a pasted image as base64', async () => {
    const { b } = setup();
    const file = new File([new Uint8Array([1, 2, 3])], 'clip.png', { type: 'image/png' });
    fireEvent.paste(screen.getByTestId('composer-input'), { clipboardData: { files: [file] } });
    await waitFor(() =>
      expect(b.UploadData).toHaveBeenCalledWith('c1', 'clip.png', 'image/png', 'AQID'),
    );
  });

  it('uploads files dropped on the drop zone and on the window', async () => {
    const { fake, b } = setup();
    const composer = screen.getByTestId('composer');
    fireEvent.dragOver(composer, { dataTransfer: { files: [] } });
    expect(screen.getByTestId('drop-zone')).toBeInTheDocument();
    const file = new File(['hi'], 'notes.txt', { type: 'text/plain' });
    fireEvent.drop(composer, { dataTransfer: { files: [file] } });
    expect(screen.queryByTestId('drop-zone')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(b.UploadData).toHaveBeenCalledWith('c1', 'notes.txt', 'text/plain', 'aGk='),
    );
    act(() => fake.emit('files:dropped', { paths: ['/home/a/x.pdf'] }));
    expect(b.UploadPaths).toHaveBeenCalledWith('c1', ['/home/a/x.pdf']);
  });

  it('offers canned responses after a slash; arrows pick, Enter inserts', async () => {
    const { onSend, b } = setup();
    const user = userEvent.setup();
    const input = screen.getByTestId('composer-input');
    await waitFor(() => expect(b.CannedResponses).toHaveBeenCalled());
    await user.type(input, '/');
    expect(await screen.findByTestId('canned-menu')).toBeInTheDocument();
    expect(screen.getAllByTestId('canned-item')).toHaveLength(3);
    await user.type(input, 'sh');
    expect(screen.getAllByTestId('canned-item').map((e) => e.dataset.shortcut)).toEqual([
      'shipping',
    ]);
    await user.clear(input);
    await user.type(input, '/');
    await user.keyboard('{ArrowDown}');
    expect(screen.getAllByTestId('canned-item')[1]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');
    expect(input).toHaveValue('Thank you, bye.');
    expect(screen.queryByTestId('canned-menu')).not.toBeInTheDocument();
    expect(onSend).not.toHaveBeenCalled();
  });

  it('sends an order status card from the card picker', async () => {
    const { onSendCard } = setup();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('btn-card'));
    expect(screen.getByTestId('card-picker')).toBeInTheDocument();
    await user.click(screen.getByTestId('card-type-order_status'));
    expect(screen.getByTestId('card-submit')).toBeDisabled();
    await user.type(screen.getByTestId('card-order_no'), 'SO-1');
    await user.selectOptions(screen.getByTestId('card-status'), 'delivered');
    await user.click(screen.getByTestId('card-submit'));
    expect(onSendCard).toHaveBeenCalledWith({
      type: 'order_status',
      version: 1,
      data: { order_no: 'SO-1', status: 'delivered' },
    });
    expect(screen.queryByTestId('card-picker')).not.toBeInTheDocument();
  });

  it('sends a product card', async () => {
    const { onSendCard } = setup();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('btn-card'));
    await user.type(screen.getByTestId('card-sku'), 'K-1');
    await user.type(screen.getByTestId('card-title'), 'Kettle');
    await user.type(screen.getByTestId('card-price'), '19.9');
    await user.click(screen.getByTestId('card-submit'));
    expect(onSendCard).toHaveBeenCalledWith({
      type: 'product',
      version: 1,
      data: { sku: 'K-1', title: 'Kettle', price: '19.9', currency: 'CNY' },
    });
  });
});
