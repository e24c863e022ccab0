import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError } from '../../api';
import type { Conversation, Message } from '../../api/types';
import { StateBadge } from '../../components/StateBadge';
import { useI18n } from '../../i18n';
import { emptyMessageList } from '../../state/messages';
import { isOfferedToMe, isOpenMine, type JumpTarget } from '../../state/reducer';
import { canReply, isSupervisor, selectSelected } from '../../state/selectors';
import { useActions, useAppState } from '../../state/store';
import { monitorsOf } from '../../state/supervision';
import { AgentWhisper, AssistButton, MonitoredBadge, TakenNotice } from '../supervise/AgentSide';
import { ExportTranscriptButton } from '../export/ExportTranscript';
import { useCommand } from '../shortcuts/commands';
import { cannedContext } from '../canned/model';
import { Composer } from './Composer';
import { loadDraft, saveDraft, type Draft } from './drafts';
import { HandoffPacketView } from './HandoffPacketView';
import { RatingStars } from './RatingStars';
import { firstSentSeq, messageKey } from './rows';
import { Transcript, type TranscriptFocus } from './Transcript';

// Supervisors' and occasional views load when first shown.
const MonitorPane = lazy(() =>
  import('../supervise/MonitorPane').then((m) => ({ default: m.MonitorPane })),
);
const TransferDialog = lazy(() =>
  import('../transfer/TransferDialog').then((m) => ({ default: m.TransferDialog })),
);

/** Messages loaded beyond a jump's target, so it does not open at the very top. */
const JUMP_CONTEXT = 20;
/** The most messages one page of a jump asks for (the Go side's page maximum); more pages follow. */
const JUMP_PAGE_MAX = 500;

/** Reports whether m is the message a jump asks for. */
function isJumpTarget(m: Message, jump: JumpTarget): boolean {
  return jump.seq > 0 ? m.seq === jump.seq : m.client_msg_id === jump.clientMsgId;
}

/** The middle column: the selected conversation's transcript and composer. */
export function ConversationView() {
  const { t } = useI18n();
  const state = useAppState();
  const conv = selectSelected(state);

  if (!state.selectedId) {
    return (
      <main className="conv-view conv-view-empty">
        <div className="empty-state">
          <div className="empty-title">{t('conv.empty')}</div>
          <div className="empty-hint">{t('conv.emptyHint')}</div>
        </div>
      </main>
    );
  }
  if (!conv) {
    return (
      <main className="conv-view conv-view-empty">
        <div className="empty-state">
          <div className="empty-title">{t('conv.notFound')}</div>
        </div>
      </main>
    );
  }
  return <OpenConversation key={conv.id} conv={conv} />;
}

type Busy = 'idle' | 'accepting' | 'declining' | 'resolving' | 'handingBack';

function OpenConversation({ conv }: { conv: Conversation }) {
  const { t, tMaybe, tError } = useI18n();
  const state = useAppState();
  const actions = useActions();
  const me = state.session?.user.id;
  const [busy, setBusy] = useState<Busy>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  // Drafts survive switching conversations and restarts (see drafts.ts).
  const [draft, setDraftState] = useState<Draft>(() => loadDraft(conv.id));
  const [transferOpen, setTransferOpen] = useState(false);
  const live = useRef(true);

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const transcriptStatus = state.transcripts[conv.id];
  const { loadTranscript } = actions;
  useEffect(() => {
    if (!transcriptStatus) loadTranscript(conv.id);
  }, [conv.id, transcriptStatus, loadTranscript]);

  // The context is loaded once per conversation, and again when its state or
  // team changes (a reopen brings a new packet, a transfer a new team).
  const contextStatus = state.contexts[conv.id];
  const { loadContext } = actions;
  const contextKey = `${conv.state}|${conv.team ?? ''}`;
  const loadedKey = useRef(contextKey);
  useEffect(() => {
    if (loadedKey.current !== contextKey) {
      loadedKey.current = contextKey;
      loadContext(conv.id);
    } else if (!contextStatus) {
      loadContext(conv.id);
    }
  }, [conv.id, contextKey, contextStatus, loadContext]);

  // While supervisors monitor my conversation, my draft goes to them as I
  // type (the Go side throttles it and sends nothing once nobody watches).
  const watched = isOpenMine(conv, me) && monitorsOf(state.sup, conv.id, me).length > 0;
  const { sendDraft } = actions;
  const setDraft = useCallback(
    (d: Draft) => {
      saveDraft(conv.id, d);
      setDraftState(d);
      if (watched) sendDraft(conv.id, d.text);
    },
    [conv.id, watched, sendDraft],
  );
  // A monitor that starts sees what is in the composer already.
  const draftText = useRef(draft.text);
  useEffect(() => {
    draftText.current = draft.text;
  });
  useEffect(() => {
    if (watched && draftText.current !== '') sendDraft(conv.id, draftText.current);
  }, [watched, conv.id, sendDraft]);

  const run = async (kind: Busy, call: () => Promise<ApiError | null>) => {
    setBusy(kind);
    setError(null);
    const err = await call();
    if (!live.current) return;
    setBusy('idle');
    setError(err);
  };

  const mineActive = isOpenMine(conv, me);
  const canWrite = canReply(conv, me);
  const supervising =
    isSupervisor(state.session?.user) &&
    conv.assignee_id !== me &&
    (conv.state === 'queued' || conv.state === 'active' || conv.state === 'waiting_customer');
  const offered = isOfferedToMe(conv, me);
  const queued = conv.state === 'queued';
  const myTransferPending =
    mineActive && Boolean(conv.offer_agent_id) && conv.offer_agent_id !== me;
  const packet = contextStatus?.status === 'loaded' ? contextStatus.data.packet : null;
  const disabledReason = canWrite
    ? null
    : queued
      ? t('composer.disabledQueued')
      : t('composer.disabledOther');
  const list = state.messages[conv.id] ?? emptyMessageList;
  const messages = list.items;
  const name = conv.customer_name || conv.customer_id;
  const loaded = transcriptStatus?.status === 'loaded' ? transcriptStatus : null;

  // What the agent has seen of their own conversation is read: the newest
  // message while the transcript is at the bottom and the window is in view.
  const { markRead, loadOlder } = actions;
  const online = state.conn.state === 'online';
  const onSeen = useCallback(
    (seq: number) => {
      if (!mineActive || !online || document.visibilityState === 'hidden') return;
      markRead(conv.id, seq);
    },
    [mineActive, online, markRead, conv.id],
  );
  const onLoadOlder = useCallback(() => loadOlder(conv.id), [loadOlder, conv.id]);

  // A jump to a message (a search result) loads older pages until the
  // message is there, then hands it to the transcript to scroll to. It
  // gives up when the transcript has nothing older and no such message, or
  // when a page it asked for brought nothing older.
  const jump = state.jump?.id === conv.id ? state.jump : null;
  const target = jump ? messages.find((m) => isJumpTarget(m, jump)) : undefined;
  const { jumpDone } = actions;
  const first = firstSentSeq(messages);
  const askedBefore = useRef<{ nonce: number; first: number } | null>(null);
  useEffect(() => {
    if (!jump || target) return;
    if (transcriptStatus?.status === 'failed') {
      jumpDone(jump.nonce);
      return;
    }
    if (transcriptStatus?.status !== 'loaded' || transcriptStatus.older !== 'idle') return;
    const asked = askedBefore.current;
    const stuck = asked?.nonce === jump.nonce && asked.first === first;
    if (!transcriptStatus.hasMore || jump.seq <= 0 || first <= jump.seq || stuck) {
      jumpDone(jump.nonce);
      return;
    }
    askedBefore.current = { nonce: jump.nonce, first };
    loadOlder(conv.id, Math.min(JUMP_PAGE_MAX, first - jump.seq + JUMP_CONTEXT));
  }, [jump, target, transcriptStatus, first, conv.id, loadOlder, jumpDone]);
  const focus = useMemo<TranscriptFocus | null>(
    () => (jump && target ? { key: messageKey(target), nonce: jump.nonce } : null),
    [jump, target],
  );

  // Shortcuts act on the open conversation (the handlers are renewed each
  // render, so they always see its current state).
  useCommand('accept', () => {
    if (busy === 'idle' && (queued || offered))
      void run('accepting', () => actions.accept(conv.id));
  });
  useCommand('decline', () => {
    if (busy === 'idle' && offered) void run('declining', () => actions.decline(conv.id));
  });
  useCommand('resolve', () => {
    if (busy === 'idle' && mineActive) void run('resolving', () => actions.resolve(conv.id));
  });
  useCommand('transfer', () => {
    if (busy === 'idle' && mineActive) setTransferOpen(true);
  });

  return (
    <main className="conv-view" data-conversation-id={conv.id} data-state={conv.state}>
      <div className="conv-head">
        <div className="conv-head-title">
          <h2 className="conv-head-name">{name}</h2>
          <div className="conv-head-meta">
            <StateBadge state={conv.state} />
            {conv.team && <span className="chip">{tMaybe(`team.${conv.team}`, conv.team)}</span>}
            <span className="conv-head-assignee">
              {conv.assignee_name || conv.assignee_id
                ? t('conv.assignedTo', { name: conv.assignee_name || conv.assignee_id || '' })
                : t('conv.unassigned')}
            </span>
            <RatingStars rating={conv.rating} comment={conv.rating_comment} />
            {mineActive && <MonitoredBadge conversationId={conv.id} />}
          </div>
        </div>
        <div className="conv-head-actions">
          {mineActive && <AssistButton conv={conv} onError={setError} />}
          {messages.length > 0 && <ExportTranscriptButton conversationId={conv.id} />}
          {queued && !offered && (
            <button
              type="button"
              className="btn btn-primary"
              data-testid="btn-accept"
              disabled={busy !== 'idle'}
              onClick={() => void run('accepting', () => actions.accept(conv.id))}
            >
              {busy === 'accepting' ? t('conv.accepting') : t('conv.accept')}
            </button>
          )}
          {mineActive && (
            <button
              type="button"
              className="btn btn-ghost"
              data-testid="btn-transfer"
              disabled={busy !== 'idle'}
              onClick={() => setTransferOpen(true)}
            >
              {t('conv.transfer')}
            </button>
          )}
          {mineActive && conv.state === 'active' && (
            <button
              type="button"
              className="btn btn-ghost"
              data-testid="btn-handback"
              disabled={busy !== 'idle'}
              onClick={() => void run('handingBack', () => actions.handBack(conv.id))}
            >
              {busy === 'handingBack' ? t('conv.handingBack') : t('conv.handBack')}
            </button>
          )}
          {mineActive && (
            <button
              type="button"
              className="btn btn-secondary"
              data-testid="btn-resolve"
              disabled={busy !== 'idle'}
              onClick={() => void run('resolving', () => actions.resolve(conv.id))}
            >
              {busy === 'resolving' ? t('conv.resolving') : t('conv.resolve')}
            </button>
          )}
        </div>
      </div>
      <TakenNotice conversationId={conv.id} />
      {myTransferPending && (
        <div className="banner banner-info" role="status" data-testid="transfer-pending">
          {t('conv.transferPending', { name: conv.offer_agent_name || conv.offer_agent_id || '' })}
        </div>
      )}
      {error && (
        <div className="banner banner-error" role="alert" data-testid="action-error">
          <span>{tError(error)}</span>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setError(null)}>
            {t('conv.dismiss')}
          </button>
        </div>
      )}
      {transcriptStatus?.status === 'failed' && (
        <div className="banner banner-error" role="alert">
          {tError(transcriptStatus)}
        </div>
      )}
      {packet && <HandoffPacketView packet={packet} />}
      {(!transcriptStatus || transcriptStatus.status === 'loading') && messages.length === 0 ? (
        <div className="transcript transcript-loading">{t('conv.loading')}</div>
      ) : (
        <Transcript
          messages={messages}
          failed={list.failed}
          myId={me}
          customerReadSeq={conv.customer_read_seq ?? 0}
          hasMore={loaded?.hasMore ?? false}
          older={loaded?.older ?? 'idle'}
          onLoadOlder={onLoadOlder}
          onSeen={onSeen}
          focus={focus}
          onFocused={jumpDone}
        />
      )}
      {supervising && (
        <Suspense fallback={null}>
          <MonitorPane conv={conv} />
        </Suspense>
      )}
      {mineActive && <AgentWhisper conversationId={conv.id} />}
      {(!supervising || canWrite) && (
        <Composer
          disabledReason={disabledReason}
          customerName={name}
          draft={draft}
          onDraft={setDraft}
          onSend={(text) => actions.send(conv.id, text)}
          onSendNote={(text, clientMsgId) => actions.sendNote(conv.id, text, clientMsgId)}
          onError={setError}
          conversationId={conv.id}
          onUploaded={actions.addPending}
          onSendCard={(card) => actions.sendCard(conv.id, card)}
          canned={cannedContext(conv, state.session?.user.name ?? '')}
        />
      )}
      {transferOpen && (
        <Suspense fallback={null}>
          <TransferDialog
            conversationId={conv.id}
            me={me}
            onClose={() => setTransferOpen(false)}
            onTransfer={(target, note) => actions.transfer(conv.id, target, note)}
          />
        </Suspense>
      )}
    </main>
  );
}
