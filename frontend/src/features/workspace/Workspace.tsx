import { lazy, Suspense, useCallback, useState } from 'react';
import { useTheme } from '../../theme/theme';
import { UpdateBanner } from '../about/About';
import { ContextPanel } from '../context/ContextPanel';
import { ConversationList } from '../conversations/ConversationList';
import { ConversationView } from '../conversation/ConversationView';
import { ConversationWarmup } from '../conversation/Warmup';
import { GlobalOffers } from '../offers/GlobalOffers';
import { AssistAlerts } from '../supervise/AssistAlerts';
import { Notices } from '../supervise/Notices';
import { isSupervisor } from '../../state/selectors';
import { useActions, useAppState } from '../../state/store';
import { useCommand } from '../shortcuts/commands';
import { useShortcuts } from '../shortcuts/shortcuts';
import { Header } from './Header';

// What the first screen does not show is loaded when it is first asked for:
// the start parses less script.
const FloorView = lazy(() => import('../floor/FloorView').then((m) => ({ default: m.FloorView })));
const BotReportView = lazy(() =>
  import('../botreport/BotReportView').then((m) => ({ default: m.BotReportView })),
);
const CannedEditor = lazy(() =>
  import('../canned/CannedEditor').then((m) => ({ default: m.CannedEditor })),
);
const MessageSearch = lazy(() =>
  import('../search/MessageSearch').then((m) => ({ default: m.MessageSearch })),
);
const ShortcutsHelp = lazy(() =>
  import('../shortcuts/ShortcutsHelp').then((m) => ({ default: m.ShortcutsHelp })),
);

/**
 * The signed-in screen: header, then what must not be missed (offers,
 * requests for help, notices) above every view, then the view: list,
 * conversation and customer context, or a supervisor's floor, bot report or
 * canned responses.
 */
export function Workspace() {
  const [help, setHelp] = useState(false);
  const { session, view, conversations, selectedId } = useAppState();
  const { setView } = useActions();
  const supervisor = isSupervisor(session?.user);
  const floor = supervisor && view === 'floor';
  const botReport = supervisor && view === 'botreport';
  const canned = supervisor && view === 'canned';
  useCommand(
    'floor',
    useCallback(() => {
      if (supervisor) setView(floor ? 'conversations' : 'floor');
    }, [supervisor, floor, setView]),
  );
  const [search, setSearch] = useState(false);
  const { toggle } = useTheme();
  useShortcuts();
  useCommand(
    'help',
    useCallback(() => setHelp((h) => !h), []),
  );
  useCommand('theme', toggle);
  useCommand(
    'searchMessages',
    useCallback(() => setSearch(true), []),
  );
  const closeHelp = useCallback(() => setHelp(false), []);
  const closeSearch = useCallback(() => setSearch(false), []);
  return (
    <div className="workspace">
      <Header />
      <UpdateBanner />
      <GlobalOffers />
      <AssistAlerts />
      <Notices />
      <Suspense fallback={<div className="workspace-body" />}>
        {floor ? (
          <div className="workspace-body workspace-floor">
            <FloorView />
          </div>
        ) : botReport ? (
          <div className="workspace-body workspace-botreport">
            <BotReportView />
          </div>
        ) : canned ? (
          <div className="workspace-body workspace-botreport">
            <CannedEditor />
          </div>
        ) : (
          <div className="workspace-body">
            <ConversationList />
            <ConversationView />
            <ContextPanel />
            <ConversationWarmup
              ready={Object.keys(conversations).length > 0}
              open={selectedId !== null}
            />
          </div>
        )}
      </Suspense>
      <Suspense fallback={null}>
        {search && <MessageSearch onClose={closeSearch} />}
        {help && <ShortcutsHelp onClose={closeHelp} />}
      </Suspense>
    </div>
  );
}
