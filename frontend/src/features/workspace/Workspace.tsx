import { ContextPanel } from '../context/ContextPanel';
import { ConversationList } from '../conversations/ConversationList';
import { ConversationView } from '../conversation/ConversationView';
import { Header } from './Header';

/** The signed-in screen: header over list, conversation and customer context. */
export function Workspace() {
  return (
    <div className="workspace">
      <Header />
      <div className="workspace-body">
        <ConversationList />
        <ConversationView />
        <ContextPanel />
      </div>
    </div>
  );
}
