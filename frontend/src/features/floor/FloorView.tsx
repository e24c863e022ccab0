import type { FloorAgent, FloorConversation, FloorData, FloorTeam } from '../../api/types';
import { useServerNow } from '../../hooks/useServerNow';
import { useI18n } from '../../i18n';
import { formatTime } from '../../i18n/format';
import { useActions, useAppState } from '../../state/store';
import { formatClock, pastSLA } from './format';
import { QueueChart } from './QueueChart';

/**
 * The supervisor's floor: per team the queue and its waits against the
 * team's SLA (breaches highlighted) with the last hour's chart, then the
 * agents with their status, load and missed offers and the conversations
 * they work, each a click away. It follows the server's pushes; the clock
 * moves the waits on between two of them.
 */
export function FloorView() {
  const { t, tError, lang } = useI18n();
  const { floor, floorError } = useAppState().sup;
  const now = useServerNow(1000);
  if (!floor && floorError) {
    return (
      <main className="floor floor-loading" data-testid="floor-view">
        <div className="banner banner-error" role="alert" data-testid="floor-error">
          {t('floor.failed', { reason: tError(floorError) })}
        </div>
      </main>
    );
  }
  if (!floor) {
    return (
      <main className="floor floor-loading" data-testid="floor-view" aria-busy="true">
        <div className="empty-state">{t('floor.loading')}</div>
      </main>
    );
  }
  // Waits grow between pushes: the time since the floor was taken counts.
  const since = floor.at > 0 ? Math.max(0, now - floor.at) : 0;
  return (
    <main className="floor" data-testid="floor-view" data-at={floor.at}>
      <div className="floor-head">
        <h2 className="floor-title">{t('floor.title')}</h2>
        {floor.at > 0 && (
          <span className="floor-updated" data-testid="floor-updated">
            {t('floor.updated', { time: formatTime(floor.at, lang) })}
          </span>
        )}
      </div>
      <section className="floor-teams" aria-label={t('floor.teams')}>
        {!floor.teams?.length && <p className="floor-empty">{t('floor.empty')}</p>}
        {floor.teams?.map((team) => (
          <TeamCard key={team.id} team={team} since={since} />
        ))}
      </section>
      <AgentsTable floor={floor} since={since} now={now} />
    </main>
  );
}

function TeamCard({ team, since }: { team: FloorTeam; since: number }) {
  const { t, tMaybe } = useI18n();
  const longest = team.queue > 0 ? team.longest_wait_ms + since : 0;
  const waitBreach = pastSLA(longest, team.sla.wait_ms);
  const breach = team.queue_over_sla > 0 || team.response_over_sla > 0 || waitBreach;
  const sla = (ms: number) => (ms > 0 ? formatClock(ms) : t('floor.slaNone'));
  return (
    <article
      className={`floor-team${breach ? ' floor-team-breach' : ''}`}
      data-testid="floor-team"
      data-team={team.id}
      data-breach={breach}
    >
      <header className="floor-team-head">
        <h3 className="floor-team-name">{tMaybe(`team.${team.id}`, team.name || team.id)}</h3>
        <span className="floor-sla">
          {t('floor.sla', {
            wait: sla(team.sla.wait_ms),
            first: sla(team.sla.first_response_ms),
            next: sla(team.sla.next_response_ms),
          })}
        </span>
      </header>
      <dl className="floor-figures">
        <Figure id="queue" label={t('floor.queue')} value={team.queue} />
        <Figure
          id="longest-wait"
          label={t('floor.longestWait')}
          value={formatClock(longest)}
          breach={waitBreach}
        />
        <Figure
          id="median-wait"
          label={t('floor.medianWait')}
          value={formatClock(team.queue > 0 ? team.median_wait_ms : 0)}
        />
        <Figure
          id="queue-over-sla"
          label={t('floor.queueOverSla')}
          value={team.queue_over_sla}
          breach={team.queue_over_sla > 0}
        />
        <Figure
          id="response-over-sla"
          label={t('floor.responseOverSla')}
          value={team.response_over_sla}
          breach={team.response_over_sla > 0}
        />
        <Figure id="offers-out" label={t('floor.offersOut')} value={team.offers_out} />
        <Figure
          id="agents"
          label={`${t('floor.agentsOnline')} / ${t('floor.agentsAway')} / ${t('floor.agentsOffline')}`}
          value={`${team.agents_online} / ${team.agents_away} / ${team.agents_offline}`}
        />
        <Figure id="load" label={t('floor.load')} value={`${team.load} / ${team.capacity}`} />
        <Figure
          id="missed-offers"
          label={t('floor.missedOffers')}
          value={team.missed_offers}
          warn={team.missed_offers > 0}
        />
        <Figure
          id="assists"
          label={t('floor.assists')}
          value={team.assists}
          warn={team.assists > 0}
        />
      </dl>
      <QueueChart history={team.history ?? []} />
    </article>
  );
}

function Figure({
  id,
  label,
  value,
  breach = false,
  warn = false,
}: {
  id: string;
  label: string;
  value: string | number;
  breach?: boolean;
  warn?: boolean;
}) {
  return (
    <div
      className={`floor-figure${breach ? ' floor-figure-breach' : ''}${warn ? ' floor-figure-warn' : ''}`}
      data-testid={`figure-${id}`}
      data-breach={breach || undefined}
    >
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function AgentsTable({ floor, since, now }: { floor: FloorData; since: number; now: number }) {
  const { t, tMaybe } = useI18n();
  const { openFloorConversation } = useActions();
  return (
    <section className="floor-agents" aria-label={t('floor.agents')}>
      <h3 className="floor-section-title">{t('floor.agents')}</h3>
      {!floor.agents?.length ? (
        <p className="floor-empty">{t('floor.noAgents')}</p>
      ) : (
        <table className="floor-table" data-testid="floor-agents">
          <thead>
            <tr>
              <th scope="col">{t('floor.agent')}</th>
              <th scope="col">{t('floor.status')}</th>
              <th scope="col">{t('floor.inStatus')}</th>
              <th scope="col">{t('floor.load')}</th>
              <th scope="col">{t('floor.missedOffers')}</th>
              <th scope="col">{t('floor.conversations')}</th>
            </tr>
          </thead>
          <tbody>
            {floor.agents.map((a) => (
              <tr
                key={a.id}
                data-testid="floor-agent"
                data-agent-id={a.id}
                data-status={a.status}
                className={a.auto_away ? 'floor-agent-auto-away' : undefined}
              >
                <th scope="row" className="floor-agent-name">
                  {a.name || a.id}
                  {a.role !== 'agent' && (
                    <span className="floor-agent-role">{tMaybe(`role.${a.role}`, a.role)}</span>
                  )}
                </th>
                <td>
                  <span className={`status-dot status-${a.status}`} aria-hidden="true" />{' '}
                  {tMaybe(`status.${a.status}`, a.status)}
                  {a.auto_away && (
                    <span
                      className="chip chip-auto-away"
                      data-testid="auto-away"
                      title={t('floor.autoAway')}
                    >
                      {t('floor.autoAway')}
                    </span>
                  )}
                </td>
                <td className="floor-num" data-testid="agent-in-status">
                  {a.status_since ? formatClock(now - a.status_since) : t('floor.unknownTime')}
                </td>
                <td
                  className={`floor-num${a.capacity > 0 && a.load >= a.capacity ? ' floor-full' : ''}`}
                  data-testid="agent-load"
                >
                  {a.load} / {a.capacity}
                </td>
                <td
                  className={`floor-num${a.missed_offers > 0 ? ' floor-figure-warn' : ''}`}
                  data-testid="agent-missed"
                >
                  {a.missed_offers}
                </td>
                <td>
                  <AgentConversations
                    agent={a}
                    since={since}
                    onOpen={(c) => openFloorConversation(c, a)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AgentConversations({
  agent,
  since,
  onOpen,
}: {
  agent: FloorAgent;
  since: number;
  onOpen(c: FloorConversation): void;
}) {
  const { t, tMaybe } = useI18n();
  if (!agent.conversations?.length) {
    return <span className="floor-muted">{t('floor.noConversations')}</span>;
  }
  return (
    <ul className="floor-convs">
      {agent.conversations.map((c) => {
        const over = c.over_sla ?? [];
        const awaiting = c.awaiting_ms > 0 ? c.awaiting_ms + since : 0;
        const first = c.responded ? c.first_response_ms : c.first_response_ms + since;
        const name = c.customer_name || c.id;
        return (
          <li key={c.id}>
            <button
              type="button"
              className={`floor-conv${over.length > 0 ? ' floor-conv-breach' : ''}${
                c.assist ? ' floor-conv-assist' : ''
              }`}
              data-testid="floor-conv"
              data-conversation-id={c.id}
              data-breach={over.length > 0}
              title={t('floor.open', { name })}
              onClick={() => onOpen(c)}
            >
              <span className="floor-conv-name">{name}</span>
              <span className="floor-conv-meta" data-testid="floor-conv-awaiting">
                {awaiting > 0
                  ? t('floor.awaiting', { duration: formatClock(awaiting) })
                  : t('floor.notAwaiting')}
              </span>
              <span className="floor-conv-meta" data-testid="floor-conv-first">
                {c.responded
                  ? t('floor.firstResponse', { duration: formatClock(first) })
                  : t('floor.firstResponsePending', { duration: formatClock(first) })}
              </span>
              {over.map((o) => (
                <span key={o} className="chip chip-breach" data-testid="floor-conv-over">
                  {tMaybe(`floor.overSla.${o}`, o)}
                </span>
              ))}
              {c.monitored && <span className="chip chip-monitored">{t('floor.monitored')}</span>}
              {c.assist && <span className="chip chip-assist">{t('floor.assist')}</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
