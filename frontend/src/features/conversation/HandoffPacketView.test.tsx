import { fireEvent, render, screen, within } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { App } from '../../App';
import type { ContextData, HandoffPacket } from '../../api/types';
import { I18nProvider, handoffReasonText, type Lang } from '../../i18n';
import { conversation, installFakeWails, signedInBoot } from '../../test/fakeWails';
import {
  HandoffPacketView,
  confidencePercent,
  intentLabel,
  orderedCollected,
} from './HandoffPacketView';
import { eventText } from './Transcript';

// The counts the server always sends (0 before the bot counted anything).
const noCounts = { customer_messages: 0, bot_answered: 0, bot_unsure: 0 };

const packet: HandoffPacket = {
  ...noCounts,
  trigger: 'negative_sentiment',
  reason: 'complaint words: 投诉',
  intent: 'refund_policy',
  confidence: 0.834,
  collected: { phone: '13800000000', order_no: 'SO-1', email: 'wang@example.com' },
  summary: 'Wants a refund for a late order.',
  at: 1_700_000_000_000,
};

function renderPacket(p: HandoffPacket, lang: Lang = 'en') {
  return render(
    <I18nProvider lang={lang}>
      <HandoffPacketView packet={p} />
    </I18nProvider>,
  );
}

describe('HandoffPacketView', () => {
  it('does not repeat a reason that is only the trigger code, and words coded reasons', () => {
    renderPacket(
      { ...noCounts, trigger: 'vip_customer', reason: 'vip_customer', confidence: 0, at: 1 },
      'zh-CN',
    );
    expect(screen.getByTestId('packet-trigger')).toHaveTextContent('VIP 客户');
    expect(screen.queryByTestId('packet-reason')).toBeNull();
    const msg = {
      conversation_id: 'c',
      seq: 3,
      client_msg_id: '',
      kind: 'event',
      visibility: 'public',
      sender: { role: 'system' },
      created_at: 1,
      event: { type: 'handoff', reason: 'vip_customer' },
    } as unknown as Parameters<typeof eventText>[0];
    const en = (k: string, fb: string) => (k === 'trigger.vip_customer' ? 'VIP customer' : fb);
    expect(
      eventText(
        msg,
        ((k: string, p?: { reason: string }) => `${k}:${p?.reason ?? ''}`) as never,
        en,
      ),
    ).toBe('event.handoffReason:VIP customer');
    expect(
      handoffReasonText('customer asked for an agent', (k, fb) =>
        k === 'trigger.asked' ? 'asked' : fb,
      ),
    ).toBe('asked');
    expect(handoffReasonText('after 22:00 rule', (_k, fb) => fb)).toBe('after 22:00 rule');
  });

  it('shows why, the intent with the confidence, the collected facts and the summary', () => {
    renderPacket(packet);
    expect(screen.getByTestId('packet-trigger')).toHaveTextContent('Customer is unhappy');
    expect(screen.getByTestId('packet-reason')).toHaveTextContent('complaint words: 投诉');
    expect(screen.getByTestId('packet-intent')).toHaveTextContent('refund_policy');
    expect(screen.getByTestId('packet-intent')).toHaveTextContent('Bot confidence 83%');
    const facts = [...screen.getByTestId('packet-collected').querySelectorAll('.packet-fact')].map(
      (f) => f.textContent,
    );
    expect(facts).toEqual(['Order no. SO-1', 'Email wang@example.com', 'Phone 13800000000']);
    expect(screen.getByTestId('packet-summary')).toHaveTextContent(
      'Wants a refund for a late order.',
    );
    // An older packet without counts shows its summary alone.
    expect(screen.queryByTestId('packet-counts')).toBeNull();
  });

  it('folds to its heading line and opens again, by keyboard too', () => {
    renderPacket(packet);
    const toggle = screen.getByTestId('packet-toggle');
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    fireEvent.click(toggle);
    expect(screen.getByTestId('handoff-packet')).toHaveAttribute('data-open', 'false');
    expect(screen.queryByTestId('packet-summary')).toBeNull();
    expect(screen.getByTestId('packet-trigger')).toBeInTheDocument();
    expect(toggle).toHaveTextContent('Show details');
    fireEvent.click(toggle);
    expect(screen.getByTestId('packet-summary')).toBeInTheDocument();
  });

  it('sits in the column beside the transcript, not over it', () => {
    // jsdom lays nothing out: what keeps the first message clear of the
    // packet is the stylesheet, so check the rules that do it.
    const css = readFileSync(resolve(__dirname, '../../styles/app.css'), 'utf8');
    const rule = (sel: string) =>
      css.match(new RegExp(`\\n${sel.replace(/[.+]/g, '\\$&')} \\{([^}]*)\\}`))?.[1] ?? '';
    expect(rule('.packet')).toMatch(/flex: 0 1 auto/);
    expect(rule('.packet')).toMatch(/overflow-y: auto/);
    expect(rule('.packet')).not.toMatch(/position: (absolute|sticky|fixed)/);
    expect(rule('.packet + .transcript')).toMatch(/min-height/);
  });

  it('names the intent in the agent language, with the entry id beside it', () => {
    const labelled = {
      ...packet,
      intent: 'shipping-fee',
      intent_label: { zh: '运费怎么算？', en: 'How much is shipping?' },
    };
    const { unmount } = renderPacket(labelled, 'zh-CN');
    expect(screen.getByTestId('packet-intent-label')).toHaveTextContent('运费怎么算？');
    expect(screen.getByTestId('packet-intent')).toHaveTextContent('shipping-fee');
    unmount();
    renderPacket(labelled, 'en');
    expect(screen.getByTestId('packet-intent-label')).toHaveTextContent('How much is shipping?');
    expect(intentLabel({ zh: '发票怎么开？' }, 'en')).toBe('发票怎么开？');
    expect(intentLabel(undefined, 'zh-CN')).toBe('');
  });

  it('words the bot part of the conversation in the agent language', () => {
    const counted = {
      ...packet,
      summary: '“退款”',
      customer_messages: 3,
      bot_answered: 1,
      bot_unsure: 2,
    };
    const { unmount } = renderPacket(counted, 'zh-CN');
    expect(screen.getByTestId('packet-counts')).toHaveTextContent(
      '（客户消息 3 条；机器人从知识库回答 1 次，不确定 2 次）',
    );
    unmount();
    renderPacket(counted, 'en');
    expect(screen.getByTestId('packet-summary')).toHaveTextContent(
      '“退款” (customer messages: 3 · bot answers from the knowledge base: 1 · unsure: 2)',
    );
  });

  it.each([
    ['asked', '客户要求人工'],
    ['low_confidence', '机器人把握不足'],
    ['negative_sentiment', '客户情绪不满'],
    ['vip_customer', 'VIP 客户'],
    ['rule', '业务规则'],
    ['bot_unavailable', '机器人不可用'],
    ['reopened', '会话重新打开'],
    ['other', '其他原因'],
    ['brand_new_trigger', 'brand_new_trigger'],
  ])('translates the trigger %s in zh-CN', (trigger, label) => {
    renderPacket({ ...noCounts, trigger, confidence: 0, at: 0 }, 'zh-CN');
    expect(screen.getByTestId('packet-trigger')).toHaveTextContent(label);
    expect(screen.queryByTestId('packet-intent')).toBeNull();
    expect(screen.queryByTestId('packet-collected')).toBeNull();
    expect(screen.queryByTestId('packet-summary')).toBeNull();
  });

  it('orders collected facts and rounds the confidence', () => {
    expect(orderedCollected({ zip: '1', phone: '2', order_no: '3', email: '' })).toEqual([
      ['order_no', '3'],
      ['phone', '2'],
      ['zip', '1'],
    ]);
    expect(confidencePercent(0.426)).toBe(43);
    expect(confidencePercent(1.7)).toBe(100);
    expect(confidencePercent(Number.NaN)).toBe(0);
  });
});

describe('conversation context', () => {
  it('pins the packet above the transcript and fills the context panel', async () => {
    const conv = conversation({
      id: 'c7',
      state: 'active',
      assignee_id: 'u_alice',
      assignee_name: 'Alice',
      ext: { order_no: 'SO-1' },
      rating: 4,
      rating_comment: 'quick and kind',
    });
    const ctx: ContextData = {
      conversation_id: 'c7',
      packet,
      customer: { id: 'v1', name: 'Customer One', created_at: 1_690_000_000_000, conversations: 3 },
      ext: { vip: 'true', member_level: 'gold' },
      previous: [
        {
          id: 'old1',
          state: 'closed',
          team: 'aftersales',
          assignee_name: 'Bob',
          last_text: 'Thanks, solved!',
          rating: 5,
          created_at: 1_690_000_000_000,
          updated_at: 1_690_000_100_000,
        },
        { id: 'old2', state: 'resolved', created_at: 1, updated_at: 2 },
      ],
    };
    const fake = installFakeWails({
      Bootstrap: () => Promise.resolve(signedInBoot()),
      ListConversations: (filter) => Promise.resolve(filter === 'mine' ? [conv] : []),
      Context: () => Promise.resolve(ctx),
    });
    render(<App lang="en" />);
    fireEvent.click(await screen.findByTestId('conv-item'));

    const shown = await screen.findByTestId('handoff-packet');
    expect(fake.app.Context).toHaveBeenCalledWith('c7');
    expect(within(shown).getByTestId('packet-trigger')).toHaveTextContent('Customer is unhappy');
    // Pinned: before the transcript, not inside it.
    const transcript = screen.getByTestId('transcript');
    expect(transcript.contains(shown)).toBe(false);
    expect(
      shown.compareDocumentPosition(transcript) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();

    const rating = screen.getByTestId('conv-rating');
    expect(rating).toHaveAttribute('data-score', '4');
    expect(rating).toHaveTextContent('★★★★☆');
    expect(rating).toHaveTextContent('quick and kind');

    const panel = screen.getByTestId('context-panel');
    const field = (k: string) =>
      within(panel)
        .getAllByTestId('ctx-field')
        .find((f) => f.dataset.key === k);
    expect(field('customer_conversations')).toHaveTextContent('3');
    // Every business field: the customer's and this conversation's.
    expect(field('order_no')).toHaveTextContent('SO-1');
    expect(field('vip')).toHaveTextContent('true');
    expect(field('member_level')).toHaveTextContent('gold');
    expect(within(panel).getByTestId('ctx-rating')).toHaveAttribute('data-score', '4');

    const prev = within(panel).getAllByTestId('previous-conv');
    expect(prev.map((p) => p.dataset.conversationId)).toEqual(['old1', 'old2']);
    expect(prev[0]).toHaveTextContent('Closed');
    expect(prev[0]).toHaveTextContent('with Bob');
    expect(prev[0]).toHaveTextContent('Thanks, solved!');
    expect(within(prev[0]!).getByTestId('previous-rating')).toHaveAttribute('data-score', '5');
    expect(within(prev[1]!).queryByTestId('previous-rating')).toBeNull();
  });

  it('shows no packet or rating when there is none', async () => {
    const conv = conversation({ id: 'c8', state: 'active', assignee_id: 'u_alice' });
    installFakeWails({
      Bootstrap: () => Promise.resolve(signedInBoot()),
      ListConversations: (filter) => Promise.resolve(filter === 'mine' ? [conv] : []),
    });
    render(<App lang="en" />);
    fireEvent.click(await screen.findByTestId('conv-item'));
    expect(await screen.findByText('No earlier conversations.')).toBeInTheDocument();
    expect(screen.queryByTestId('handoff-packet')).toBeNull();
    expect(screen.queryByTestId('conv-rating')).toBeNull();
  });
});
