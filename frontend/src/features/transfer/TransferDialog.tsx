import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import * as api from '../../api';
import type { AgentInfo, DirectoryData, TransferTarget } from '../../api/types';
import { useI18n } from '../../i18n';

/** The longest transfer note the server takes (protocol.MaxNoteRunes). */
export const MAX_NOTE = 1000;

type DirectoryState =
  | { status: 'loading' }
  | { status: 'loaded'; data: DirectoryData }
  | { status: 'failed'; error: api.ApiError };

/** Reports whether an agent can be offered a conversation now: online, with room, not me. */
export function agentAvailable(a: AgentInfo, me: string | undefined): boolean {
  return a.id !== me && a.status === 'online' && (a.capacity <= 0 || a.load < a.capacity);
}

interface Props {
  conversationId: string;
  /**
   * The agent who has the conversation (the signed-in agent for a
   * transfer), who cannot be picked.
   */
  me: string | undefined;
  /**
   * transfer (the default): the agent passes their conversation on, an
   * agent picked is offered it. reassign: a supervisor gives it away at once.
   */
  mode?: 'transfer' | 'reassign';
  onClose(): void;
  /** Transfers; resolves to the error, or null on success (the dialog then closes). */
  onTransfer(target: TransferTarget, note: string): Promise<api.ApiError | null>;
}

/**
 * Picks where a conversation goes: an agent (offered it; shown with status
 * and load, unavailable ones disabled) or a team's queue (with its length
 * and agents online), with a note only agents see.
 */
export function TransferDialog({
  conversationId,
  me,
  onClose,
  onTransfer,
  mode = 'transfer',
}: Props) {
  const { t, tMaybe, tError } = useI18n();
  const [dir, setDir] = useState<DirectoryState>({ status: 'loading' });
  const [target, setTarget] = useState<TransferTarget | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<api.ApiError | null>(null);
  const live = useRef(true);
  const titleId = useId();
  const noteId = useId();

  useEffect(() => {
    live.current = true;
    api.directory().then(
      (data) => live.current && setDir({ status: 'loaded', data }),
      (err: unknown) => live.current && setDir({ status: 'failed', error: api.toApiError(err) }),
    );
    return () => {
      live.current = false;
    };
  }, [conversationId]);

  const submit = async () => {
    if (!target) return;
    setBusy(true);
    setError(null);
    const err = await onTransfer(target, note.trim());
    if (!live.current) return;
    setBusy(false);
    if (err) setError(err);
    else onClose();
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
  };

  const agents = dir.status === 'loaded' ? (dir.data.agents ?? []) : [];
  const teams = dir.status === 'loaded' ? (dir.data.teams ?? []) : [];
  const others = agents.filter((a) => a.id !== me);
  const isAgent = (id: string) => target !== null && 'agentId' in target && target.agentId === id;
  const isTeam = (id: string) => target !== null && 'team' in target && target.team === id;

  return (
    <div className="dialog-backdrop" onKeyDown={onKey}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={mode === 'reassign' ? 'reassign-dialog' : 'transfer-dialog'}
      >
        <h2 className="dialog-title" id={titleId}>
          {mode === 'reassign' ? t('reassign.title') : t('transfer.title')}
        </h2>
        {mode === 'reassign' && <p className="dialog-hint">{t('reassign.hint')}</p>}
        {dir.status === 'loading' && <p className="dialog-hint">{t('transfer.loading')}</p>}
        {dir.status === 'failed' && (
          <div className="banner banner-error" role="alert">
            {tError(dir.error)}
          </div>
        )}
        {dir.status === 'loaded' && (
          <div className="transfer-columns">
            <section className="transfer-section">
              <h3 className="transfer-heading">{t('transfer.agents')}</h3>
              {others.length === 0 && <p className="dialog-hint">{t('transfer.noAgents')}</p>}
              <ul className="transfer-list">
                {others.map((a) => {
                  const ok = agentAvailable(a, me);
                  const full = a.capacity > 0 && a.load >= a.capacity;
                  return (
                    <li key={a.id}>
                      <button
                        type="button"
                        className={`transfer-option${isAgent(a.id) ? ' transfer-option-selected' : ''}`}
                        data-testid={`transfer-agent-${a.id}`}
                        data-status={a.status}
                        aria-pressed={isAgent(a.id)}
                        disabled={!ok || busy}
                        onClick={() => setTarget({ agentId: a.id })}
                      >
                        <span className={`status-dot status-${a.status}`} aria-hidden="true" />
                        <span className="transfer-name">{a.name || a.id}</span>
                        <span className="transfer-meta">
                          {tMaybe(`status.${a.status}`, a.status)}
                          {' · '}
                          {full
                            ? t('transfer.full')
                            : t('transfer.load', { load: a.load, capacity: a.capacity })}
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            </section>
            <section className="transfer-section">
              <h3 className="transfer-heading">{t('transfer.teams')}</h3>
              {teams.length === 0 && <p className="dialog-hint">{t('transfer.noTeams')}</p>}
              <ul className="transfer-list">
                {teams.map((tm) => (
                  <li key={tm.id}>
                    <button
                      type="button"
                      className={`transfer-option${isTeam(tm.id) ? ' transfer-option-selected' : ''}`}
                      data-testid={`transfer-team-${tm.id}`}
                      aria-pressed={isTeam(tm.id)}
                      disabled={busy}
                      onClick={() => setTarget({ team: tm.id })}
                    >
                      <span className="transfer-name">
                        {tMaybe(`team.${tm.id}`, tm.name || tm.id)}
                      </span>
                      <span className="transfer-meta">
                        {t('transfer.queue', { n: tm.queue_length })}
                        {' · '}
                        {t('transfer.agentsOnline', { n: tm.agents_online })}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          </div>
        )}
        <label className="transfer-note-label" htmlFor={noteId}>
          {t('transfer.note')}
        </label>
        <textarea
          id={noteId}
          className="transfer-note"
          data-testid="transfer-note"
          value={note}
          maxLength={MAX_NOTE}
          rows={3}
          disabled={busy}
          onChange={(e) => setNote(e.target.value)}
        />
        {error && (
          <div className="banner banner-error" role="alert" data-testid="transfer-error">
            {tError(error)}
          </div>
        )}
        <div className="dialog-actions">
          {target === null && dir.status === 'loaded' && (
            <span className="dialog-hint">{t('transfer.pick')}</span>
          )}
          <button type="button" className="btn btn-ghost" onClick={onClose} disabled={busy}>
            {t('transfer.cancel')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="btn-transfer-submit"
            disabled={busy || target === null}
            onClick={() => void submit()}
          >
            {mode === 'reassign'
              ? busy
                ? t('reassign.submitting')
                : t('reassign.submit')
              : busy
                ? t('transfer.submitting')
                : t('transfer.submit')}
          </button>
        </div>
      </div>
    </div>
  );
}
