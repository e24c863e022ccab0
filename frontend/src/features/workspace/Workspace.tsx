import { useCallback, useState } from 'react';
import { useTheme } from '../../theme/theme';
import { UpdateBanner } from '../about/About';
import { ContextPanel } from '../context/ContextPanel';
import { ConversationList } from '../conversations/ConversationList';
import { ConversationView } from '../conversation/ConversationView';
import { FloorView } from '../floor/FloorView';
import { GlobalOffers } from '../offers/GlobalOffers';
import { AssistAlerts } from '../supervise/AssistAlerts';
import { BotReportView } from '../botreport/BotReportView';
import { CannedEditor } from '../canned/CannedEditor';
import { Notices } from '../supervise/Notices';
import { isSupervisor } from '../../state/selectors';
import { useActions, useAppState } from '../../state/store';
import { MessageSearch } from '../search/MessageSearch';
import { useCommand } from '../shortcuts/commands';
import { useShortcuts } from '../shortcuts/shortcuts';
import { ShortcutsHelp } from '../shortcuts/ShortcutsHelp';
import { Header } from './Header';

/**
 * The signed-in screen: header, then what must not be missed (offers,
 * requests for help, notices) above every view, then the view: list,
 * conversation and customer context, or a supervisor's floor, bot report or
 * canned responses.
 */
export function Workspace() {
  const [help, setHelp] = useState(false);
  const { session, view } = useAppState();
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
        </div>
      )}
      {search && <MessageSearch onClose={closeSearch} />}
      {help && <ShortcutsHelp onClose={closeHelp} />}
    </div>
  );
}
