import { useCallback, useEffect, useRef, useState } from 'react';
import * as api from '../../api';
import type { ApiError } from '../../api';
import {
  KBOpAddQuestion,
  KBOpCreateEntry,
  KBOpDismiss,
  KBOpRollback,
} from '../../api/protocol.gen';
import type { BotReport, KBEditData, KBEntry, KBSuggestion, MissGroup } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatTime } from '../../i18n/format';
import { useAppState } from '../../state/store';
import { MISS_REASONS, entryDraftFor, groupQuestion, kbLocale, missIds, sortGroups } from './model';
import { NewEntryForm } from './NewEntryForm';
import { ReasonBadge } from './ReasonBadge';
import { VersionsPanel } from './VersionsPanel';

type Load =
  | { status: 'loading' }
  | { status: 'ready'; report: BotReport }
  | { status: 'failed'; error: ApiError };

type Notice = { kind: 'info' | 'warn' | 'error'; text: string };

type Tab = 'report' | 'versions';

/**
 * The supervisor's bot report: the questions the bot missed, grouped,
 * largest group first. A group is two clicks from done: add its question
 * to the entry suggested, make a new entry of it (the agent's reply as the
 * draft answer), or dismiss it. The Versions tab lists the knowledge
 * base's versions, and rolls back to one. Every edit reloads the report;
 * an edit from a version somebody else changed first reloads too.
 */
export function BotReportView() {
  const { t, tError, lang } = useI18n();
  const { session } = useAppState();
  const [tab, setTab] = useState<Tab>('report');
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [selected, setSelected] = useState<string | null>(null);
  const [formFor, setFormFor] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const [kbKey, setKbKey] = useState(0);
  const [reportKey, setReportKey] = useState(0);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  // Each change of reportKey reads the report again; only the newest read
  // lands, so an older one answering late cannot show what an edit since
  // then changed.
  useEffect(() => {
    let current = true;
    api.botReport().then(
      (report) => current && setLoad({ status: 'ready', report }),
      (err: unknown) => current && setLoad({ status: 'failed', error: api.toApiError(err) }),
    );
    return () => {
      current = false;
    };
  }, [reportKey]);
  const reload = useCallback(() => {
    setReportKey((k) => k + 1);
    setKbKey((k) => k + 1);
  }, []);

  const report = load.status === 'ready' ? load.report : null;
  const groups = report ? sortGroups(report.groups ?? []) : [];
  const group = groups.find((g) => g.id === selected) ?? null;

  /**
   * Sends one edit; on success shows done and reloads. A conflict reloads
   * and says so; other errors are returned for the caller to show.
   */
  const edit = async (e: KBEditData, done: string): Promise<ApiError | null> => {
    setBusy(true);
    try {
      await api.editKnowledgeBase(e);
      if (!live.current) return null;
      setNotice({ kind: 'info', text: done });
      setFormFor(null);
      return null;
    } catch (err) {
      const error = api.toApiError(err);
      if (error.code !== 'conflict') return error;
      if (live.current) setNotice({ kind: 'warn', text: t('botreport.conflict') });
      return null;
    } finally {
      if (live.current) {
        setBusy(false);
        reload();
      }
    }
  };

  /** An edit from a button: its error goes to the notice. */
  const act = async (e: KBEditData, done: string) => {
    const err = await edit(e, done);
    if (err && live.current) {
      setNotice({ kind: 'error', text: t('botreport.editFailed', { reason: tError(err) }) });
    }
  };

  const base = report?.kb_version ?? 0;
  const addTo = (g: MissGroup, s: KBSuggestion) => {
    const q = groupQuestion(g);
    if (!q) return;
    void act(
      {
        op: KBOpAddQuestion,
        base_version: base,
        entry_id: s.entry_id,
        locale: kbLocale(g.locale),
        question: q.text,
        miss_ids: missIds(g),
      },
      t('botreport.added', { label: s.label || s.entry_id }),
    );
  };
  const dismiss = (g: MissGroup) =>
    void act(
      { op: KBOpDismiss, base_version: base, miss_ids: missIds(g) },
      t('botreport.dismissed'),
    );
  const create = (g: MissGroup, entry: KBEntry) =>
    edit(
      { op: KBOpCreateEntry, base_version: base, entry, miss_ids: missIds(g) },
      t('botreport.created', { id: entry.id }),
    );
  const rollback = (version: number, from: number) =>
    edit({ op: KBOpRollback, base_version: from, version }, t('botreport.rolledBack', { version }));

  return (
    <main className="floor botreport" data-testid="botreport-view" data-tab={tab}>
      <div className="floor-head">
        <h2 className="floor-title">{t('botreport.title')}</h2>
        {report && (
          <>
            <span className="botreport-open" data-testid="botreport-open" data-open={report.open}>
              {t('botreport.open', { n: report.open })}
            </span>
            <span className="floor-updated" data-testid="botreport-kb-version">
              {t('botreport.kbVersion', { version: report.kb_version })}
            </span>
          </>
        )}
        <nav className="view-switch botreport-tabs" aria-label={t('botreport.title')}>
          {(['report', 'versions'] as const).map((k) => (
            <button
              key={k}
              type="button"
              className={`view-tab${tab === k ? ' view-tab-active' : ''}`}
              data-testid={`botreport-tab-${k}`}
              aria-pressed={tab === k}
              onClick={() => setTab(k)}
            >
              {t(`botreport.tab.${k}`)}
            </button>
          ))}
        </nav>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          data-testid="botreport-reload"
          onClick={reload}
        >
          {t('botreport.reload')}
        </button>
      </div>
      {notice && (
        <div
          className={`banner ${notice.kind === 'info' ? 'banner-info' : 'banner-error'} botreport-notice`}
          role={notice.kind === 'info' ? 'status' : 'alert'}
          data-testid="botreport-notice"
          data-kind={notice.kind}
        >
          {notice.text}
        </div>
      )}
      {tab === 'versions' ? (
        <VersionsPanel reloadKey={kbKey} onRollback={rollback} />
      ) : load.status === 'loading' ? (
        <p className="floor-empty" aria-busy="true">
          {t('botreport.loading')}
        </p>
      ) : load.status === 'failed' ? (
        <div className="banner banner-error" role="alert" data-testid="botreport-error">
          {t('botreport.failed', { reason: tError(load.error) })}
          <button type="button" className="btn btn-secondary btn-small" onClick={reload}>
            {t('botreport.retry')}
          </button>
        </div>
      ) : groups.length === 0 ? (
        <p className="floor-empty" data-testid="botreport-empty">
          {t('botreport.empty')}
        </p>
      ) : (
        <div className="botreport-body">
          <ul className="botreport-groups" aria-label={t('botreport.groups')}>
            {groups.map((g) => (
              <li key={g.id}>
                <button
                  type="button"
                  className={`botreport-group${g.id === selected ? ' botreport-group-selected' : ''}`}
                  data-testid="miss-group"
                  data-group={g.id}
                  data-count={g.count}
                  aria-pressed={g.id === selected}
                  onClick={() => {
                    setSelected(g.id);
                    setFormFor(null);
                  }}
                >
                  <span
                    className="botreport-group-text"
                    lang={kbLocale(g.locale) === 'zh' ? 'zh-CN' : 'en'}
                  >
                    {groupQuestion(g)?.text ?? g.id}
                  </span>
                  <span className="botreport-group-meta">
                    <span className="view-badge botreport-count" data-testid="miss-group-count">
                      {t('botreport.count', { n: g.count })}
                    </span>
                    {MISS_REASONS.filter((r) => (g.reasons?.[r] ?? 0) > 0).map((r) => (
                      <ReasonBadge key={r} reason={r} n={g.reasons?.[r]} />
                    ))}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {group ? (
            <section className="botreport-detail" data-testid="group-detail" data-group={group.id}>
              <h3 className="floor-section-title">
                {t('botreport.questions')}{' '}
                <span className="chip">{t(`botreport.locale.${kbLocale(group.locale)}`)}</span>{' '}
                {group.last_at > 0 && (
                  <span className="floor-muted">
                    {t('botreport.lastAt', { time: formatTime(group.last_at, lang) })}
                  </span>
                )}
              </h3>
              <ul className="botreport-questions">
                {(group.questions ?? []).map((q) => (
                  <li
                    key={q.id}
                    data-testid="group-question"
                    data-reason={q.reason}
                    data-miss={q.id}
                  >
                    <span
                      className="botreport-question-text"
                      lang={kbLocale(q.locale) === 'zh' ? 'zh-CN' : 'en'}
                    >
                      {q.text}
                    </span>
                    <ReasonBadge reason={q.reason} />
                  </li>
                ))}
              </ul>
              {group.draft && (
                <p className="botreport-draft" data-testid="group-draft">
                  {group.draft.agent_name
                    ? t('botreport.draftBy', {
                        name: group.draft.agent_name,
                        text: group.draft.text,
                      })
                    : t('botreport.draft', { text: group.draft.text })}
                </p>
              )}
              <h3 className="floor-section-title">{t('botreport.suggestions')}</h3>
              {(group.suggestions ?? []).length === 0 && (
                <p className="floor-empty">{t('botreport.noSuggestions')}</p>
              )}
              <div className="botreport-actions">
                {(group.suggestions ?? []).map((s) => (
                  <button
                    key={s.entry_id}
                    type="button"
                    className="btn btn-primary"
                    data-testid="suggestion-add"
                    data-entry={s.entry_id}
                    disabled={busy}
                    title={t('botreport.score', { score: Math.round(s.score * 100) })}
                    onClick={() => addTo(group, s)}
                  >
                    {t('botreport.addTo', { label: s.label || s.entry_id })}
                  </button>
                ))}
                <button
                  type="button"
                  className="btn btn-secondary"
                  data-testid="group-new-entry"
                  disabled={busy}
                  aria-expanded={formFor === group.id}
                  onClick={() => setFormFor(formFor === group.id ? null : group.id)}
                >
                  {t('botreport.newEntry')}
                </button>
                <button
                  type="button"
                  className="btn btn-ghost"
                  data-testid="group-dismiss"
                  disabled={busy}
                  onClick={() => dismiss(group)}
                >
                  {t('botreport.dismiss')}
                </button>
              </div>
              {formFor === group.id && (
                <NewEntryForm
                  key={group.id}
                  initial={entryDraftFor(group, session?.user.teams?.[0] ?? '')}
                  onSave={(entry) => create(group, entry)}
                  onCancel={() => setFormFor(null)}
                />
              )}
            </section>
          ) : (
            <p className="floor-empty botreport-detail" data-testid="group-none">
              {t('botreport.pick')}
            </p>
          )}
        </div>
      )}
    </main>
  );
}
