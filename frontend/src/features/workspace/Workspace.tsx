import { useCallback, useState } from 'react';
import { useTheme } from '../../theme/theme';
import { UpdateBanner } from '../about/About';
import { ContextPanel } from '../context/ContextPanel';
import { ConversationList } from '../conversations/ConversationList';
import { ConversationView } from '../conversation/ConversationView';
import { MessageSearch } from '../search/MessageSearch';
import { useCommand } from '../shortcuts/commands';
import { useShortcuts } from '../shortcuts/shortcuts';
import { ShortcutsHelp } from '../shortcuts/ShortcutsHelp';
import { Header } from './Header';

/** The signed-in screen: header over list, conversation and customer context. */
export function Workspace() {
  const [help, setHelp] = useState(false);
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
      <div className="workspace-body">
        <ConversationList />
        <ConversationView />
        <ContextPanel />
      </div>
      {search && <MessageSearch onClose={closeSearch} />}
      {help && <ShortcutsHelp onClose={closeHelp} />}
    </div>
  );
}
