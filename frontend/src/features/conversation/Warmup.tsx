import { useEffect, useState } from 'react';
import type { Conversation, Message } from '../../api/types';
import { StateBadge } from '../../components/StateBadge';
import { ContextDetails } from '../context/ContextPanel';
import { Composer } from './Composer';
import { emptyDraft } from './drafts';
import { Transcript } from './Transcript';

/**
 * How long after the list is first drawn the warm-up starts (ms): the list
 * is painted and the start's other work done first.
 */
export const WARMUP_DELAY_MS = 150;

/** How long the warm-up stays mounted (ms): its list measures and shows in a few frames. */
export const WARMUP_MS = 250;

/** Synthetic rows drawn by the warm-up: as many as a transcript draws at once. */
const WARMUP_MESSAGES = 40;

const WARMUP_ID = 'warmup';
const AGENT = { role: 'agent', id: 'warmup-agent', name: 'Agent' };
const CUSTOMER = { role: 'customer', id: 'warmup-customer', name: 'Customer' };

const warmupConv: Conversation = {
  id: WARMUP_ID,
  customer_id: CUSTOMER.id,
  customer_name: CUSTOMER.name,
  channel: 'web',
  state: 'active',
  team: 'support',
  assignee_id: AGENT.id,
  assignee_name: AGENT.name,
  ext: { order_no: 'A-1', source: 'https://example.com/' },
  epoch: 1,
  last_seq: WARMUP_MESSAGES,
  customer_read_seq: WARMUP_MESSAGES - 1,
  agent_read_seq: WARMUP_MESSAGES,
  tags: ['warmup'],
  created_at: 0,
  updated_at: 0,
};

/** Messages of the kinds a transcript holds, Latin and CJK text, over two days. */
function warmupMessages(): Message[] {
  const start = Date.now() - 2 * 86_400_000;
  const out: Message[] = [
    {
      conversation_id: WARMUP_ID,
      seq: 1,
      client_msg_id: 'warmup-1',
      sender: { role: 'system' },
      kind: 'event',
      visibility: 'public',
      event: { type: 'opened' },
      created_at: start,
    },
  ];
  for (let seq = 2; seq <= WARMUP_MESSAGES; seq++) {
    const customer = seq % 2 === 0;
    if (seq % 10 === 0) {
      out.push({
        conversation_id: WARMUP_ID,
        seq,
        client_msg_id: `warmup-${seq}`,
        sender: CUSTOMER,
        kind: 'file',
        visibility: 'public',
        attachment: {
          id: `warmup-${seq}`,
          name: 'invoice.pdf',
          mime: 'application/pdf',
          size: 48_213,
        },
        created_at: start + seq * 3_600_000,
      });
      continue;
    }
    out.push({
      conversation_id: WARMUP_ID,
      seq,
      client_msg_id: `warmup-${seq}`,
      sender: customer ? CUSTOMER : AGENT,
      kind: 'text',
      visibility: 'public',
      text: customer
        ? `Where is my order A-${seq}? 我的订单在哪里？ https://example.com/o/${seq}`
        : `Let me look at order A-${seq} for you. 请稍等。`,
      created_at: start + seq * 3_600_000,
    });
  }
  return out;
}

const noop = () => {};
const noError = () => Promise.resolve(null);

/**
 * Draws the conversation view once, out of sight, with made-up messages,
 * soon after the list is first shown, then takes it away. The first
 * conversation the agent opens then runs code the web view has already
 * compiled, matches styles and draws text it already has: a first open
 * spent most of its time there, not waiting for its messages
 * (docs/benchmarks.md). It is drawn beneath the workspace's opaque columns:
 * nothing of it can be seen, focused or read out, and it only reads (the
 * composer asks for the canned responses and the uploads under way). It
 * runs once, when the list first has conversations, and not at all, or no
 * longer, once a conversation is open.
 */
export function ConversationWarmup({ ready, open }: { ready: boolean; open: boolean }) {
  const [phase, setPhase] = useState<'waiting' | 'drawn' | 'done'>('waiting');
  // Once a conversation is open it is never needed again (state set during
  // render: React's pattern for what follows from the props).
  if (open && phase !== 'done') setPhase('done');
  useEffect(() => {
    if (phase === 'done' || !ready) return;
    const t = setTimeout(
      () => setPhase(phase === 'waiting' ? 'drawn' : 'done'),
      phase === 'waiting' ? WARMUP_DELAY_MS : WARMUP_MS,
    );
    return () => clearTimeout(t);
  }, [ready, phase]);
  if (phase !== 'drawn' || open) return null;
  return <WarmupView />;
}

function WarmupView() {
  const [messages] = useState(warmupMessages);
  return (
    <div className="workspace-body conv-warmup" aria-hidden="true" inert>
      <div />
      <main className="conv-view">
        <div className="conv-head">
          <div className="conv-head-title">
            <h2 className="conv-head-name">{warmupConv.customer_name}</h2>
            <div className="conv-head-meta">
              <StateBadge state={warmupConv.state} />
              <span className="chip">{warmupConv.team}</span>
            </div>
          </div>
          <div className="conv-head-actions">
            <button type="button" className="btn btn-ghost">
              {warmupConv.assignee_name}
            </button>
          </div>
        </div>
        <Transcript
          messages={messages}
          myId={AGENT.id}
          customerReadSeq={warmupConv.customer_read_seq}
          onSeen={noop}
        />
        <Composer
          disabledReason={null}
          customerName={warmupConv.customer_name}
          draft={emptyDraft}
          onDraft={noop}
          onSend={noError}
          onSendNote={noError}
          onError={noop}
        />
      </main>
      <aside className="context-panel">
        <ContextDetails conv={warmupConv} />
      </aside>
    </div>
  );
}
