export namespace app {
	
	export interface AboutInfo {
	    version: string;
	    os: string;
	    arch: string;
	    go_version: string;
	    server_url?: string;
	    config_dir: string;
	    update_check: boolean;
	}
	export interface ConnState {
	    state: string;
	    error?: string;
	    pending: number;
	    clock_offset_ms: number;
	    status: string;
	}
	export interface Session {
	    server_url: string;
	    user: protocol.User;
	}
	export interface BootState {
	    signed_in: boolean;
	    session?: Session;
	    default_server_url: string;
	    server_url_locked: boolean;
	    default_username: string;
	    conn: ConnState;
	    lists?: Record<string, Array<protocol.Conversation>>;
	}
	export interface CannedResponse {
	    shortcut: string;
	    text: string;
	    text_zh: string;
	}
	
	export interface DownloadProgress {
	    download_id: string;
	    file_id: string;
	    name: string;
	    received: number;
	    size: number;
	    done?: boolean;
	    path?: string;
	    error?: string;
	}
	export interface MessagePage {
	    messages: protocol.Message[];
	    has_more: boolean;
	}
	
	export interface TranscriptExport {
	    path?: string;
	    name?: string;
	    bytes?: number;
	}
	export interface UpdateNotice {
	    current: string;
	    version: string;
	    url?: string;
	    notes_url?: string;
	}
	export interface UploadProgress {
	    upload_id: string;
	    conversation_id: string;
	    name: string;
	    mime: string;
	    sent: number;
	    size: number;
	}
	export interface ViewState {
	    conversation_id: string;
	    focused: boolean;
	    lang: string;
	}

}

export namespace cache {
	
	export interface Hit {
	    message: protocol.Message;
	    conversation: protocol.Conversation;
	}

}

export namespace policy {
	
	export interface BoolSetting {
	    value: boolean;
	    locked: boolean;
	    source: string;
	}
	export interface IntSetting {
	    value: number;
	    locked: boolean;
	    source: string;
	}
	export interface ListSetting {
	    value: string[];
	    locked: boolean;
	    source: string;
	}
	export interface Problem {
	    source: string;
	    key: string;
	    code: string;
	    severity: string;
	    message: string;
	}
	export interface StringSetting {
	    value: string;
	    locked: boolean;
	    source: string;
	}
	export interface Policy {
	    ServerURL: StringSetting;
	    LockServerURL: BoolSetting;
	    AllowedServers: ListSetting;
	    DisableUpdateCheck: BoolSetting;
	    Language: StringSetting;
	    CacheRetentionDays: IntSetting;
	    LogLevel: StringSetting;
	    problems: Problem[];
	}
	

}

export namespace protocol {
	
	export interface AgentInfo {
	    id: string;
	    name: string;
	    role: string;
	    status: string;
	    load: number;
	    capacity: number;
	    teams: string[];
	    skills?: string[];
	}
	export interface Attachment {
	    id: string;
	    name: string;
	    size: number;
	    mime: string;
	    width?: number;
	    height?: number;
	    duration_ms?: number;
	    has_thumb?: boolean;
	}
	export interface MissDraft {
	    text: string;
	    conversation_id: string;
	    seq: number;
	    agent_name?: string;
	}
	export interface KBSuggestion {
	    entry_id: string;
	    label: string;
	    score: number;
	}
	export interface MissQuestion {
	    id: string;
	    conversation_id: string;
	    seq: number;
	    text: string;
	    locale: string;
	    reason: string;
	    at: number;
	}
	export interface MissGroup {
	    id: string;
	    count: number;
	    questions: MissQuestion[];
	    reasons: Record<string, number>;
	    locale: string;
	    suggestions?: KBSuggestion[];
	    draft?: MissDraft;
	    last_at: number;
	}
	export interface BotReport {
	    open: number;
	    groups: MissGroup[];
	    kb_version: number;
	}
	export interface CannedText {
	    zh: string;
	    en: string;
	}
	export interface CannedEditData {
	    op: string;
	    id?: string;
	    team?: string;
	    title?: string;
	    shortcut?: string;
	    text: CannedText;
	}
	export interface CannedResponse {
	    id: string;
	    team: string;
	    title: string;
	    shortcut: string;
	    text: CannedText;
	    updated_by: string;
	    updated_at: number;
	}
	export interface CannedList {
	    responses: CannedResponse[];
	}
	
	
	export interface Card {
	    type: string;
	    version: number;
	    data: number[];
	    fallback?: string;
	}
	export interface CustomerNote {
	    id: string;
	    customer_id: string;
	    author_id: string;
	    author_name: string;
	    text: string;
	    created_at: number;
	}
	export interface PastConversation {
	    id: string;
	    state: string;
	    team?: string;
	    assignee_name?: string;
	    handoff_reason?: string;
	    last_text?: string;
	    rating?: number;
	    created_at: number;
	    updated_at: number;
	}
	export interface Profile {
	    id: string;
	    name: string;
	    created_at: number;
	    conversations: number;
	}
	export interface HandoffPacket {
	    trigger: string;
	    reason?: string;
	    intent?: string;
	    confidence: number;
	    intent_label?: Record<string, string>;
	    locale?: string;
	    collected?: Record<string, string>;
	    summary?: string;
	    customer_messages: number;
	    bot_answered: number;
	    bot_unsure: number;
	    previous_agent_id?: string;
	    previous_agent_name?: string;
	    at: number;
	}
	export interface ContextData {
	    conversation_id: string;
	    packet?: HandoffPacket;
	    customer: Profile;
	    ext?: Record<string, string>;
	    verified?: Record<string, string>;
	    previous: PastConversation[];
	    tags?: string[];
	    notes?: CustomerNote[];
	}
	export interface Sender {
	    role: string;
	    id?: string;
	    name?: string;
	}
	export interface Conversation {
	    id: string;
	    customer_id: string;
	    customer_name: string;
	    channel: string;
	    state: string;
	    team?: string;
	    assignee_id?: string;
	    assignee_name?: string;
	    handoff_reason?: string;
	    ext?: Record<string, string>;
	    verified?: Record<string, string>;
	    epoch: number;
	    last_seq: number;
	    last_text?: string;
	    customer_read_seq: number;
	    agent_read_seq: number;
	    priority?: number;
	    queued_at?: number;
	    offer_agent_id?: string;
	    offer_agent_name?: string;
	    offer_expires_at?: number;
	    transfer_from_id?: string;
	    rating?: number;
	    rating_comment?: string;
	    tags?: string[];
	    joined?: Sender[];
	    assist_at?: number;
	    assigned_at?: number;
	    first_reply_at?: number;
	    awaiting_since?: number;
	    created_at: number;
	    updated_at: number;
	}
	
	export interface TeamInfo {
	    id: string;
	    name: string;
	    skills?: string[];
	    queue_length: number;
	    agents_online: number;
	}
	export interface DirectoryData {
	    agents: AgentInfo[];
	    teams: TeamInfo[];
	}
	export interface Event {
	    type: string;
	    from?: string;
	    to?: string;
	    reason?: string;
	    actor?: string;
	    card_seq?: number;
	    card_type?: string;
	    action?: string;
	    values?: number[];
	}
	export interface FloorConversation {
	    id: string;
	    customer_name: string;
	    state: string;
	    team?: string;
	    awaiting_ms: number;
	    first_response_ms: number;
	    responded: boolean;
	    over_sla?: string[];
	    monitored?: boolean;
	    assist?: boolean;
	}
	export interface FloorAgent {
	    id: string;
	    name: string;
	    role: string;
	    teams: string[];
	    status: string;
	    status_since?: number;
	    load: number;
	    capacity: number;
	    missed_offers: number;
	    auto_away?: boolean;
	    conversations: FloorConversation[];
	}
	
	export interface FloorSample {
	    at: number;
	    queue: number;
	    longest_wait_ms: number;
	}
	export interface SLA {
	    first_response_ms: number;
	    wait_ms: number;
	    next_response_ms: number;
	}
	export interface FloorTeam {
	    id: string;
	    name: string;
	    sla: SLA;
	    queue: number;
	    longest_wait_ms: number;
	    median_wait_ms: number;
	    queue_over_sla: number;
	    response_over_sla: number;
	    offers_out: number;
	    agents_online: number;
	    agents_away: number;
	    agents_offline: number;
	    load: number;
	    capacity: number;
	    missed_offers: number;
	    assists: number;
	    history: FloorSample[];
	}
	export interface FloorData {
	    at: number;
	    teams: FloorTeam[];
	    agents: FloorAgent[];
	}
	
	
	
	export interface KBVersion {
	    version: number;
	    at: number;
	    author: string;
	    summary: string;
	    entries: number;
	}
	export interface KBText {
	    zh: string;
	    en: string;
	}
	export interface KBQuestions {
	    zh: string[];
	    en: string[];
	}
	export interface KBEntry {
	    id: string;
	    team: string;
	    questions: KBQuestions;
	    answer: KBText;
	}
	export interface KBData {
	    version: number;
	    entries: KBEntry[];
	    history?: KBVersion[];
	}
	export interface KBEditData {
	    op: string;
	    base_version: number;
	    entry_id?: string;
	    locale?: string;
	    question?: string;
	    entry?: KBEntry;
	    version?: number;
	    miss_ids?: string[];
	}
	
	
	
	
	
	export interface Message {
	    conversation_id: string;
	    seq: number;
	    client_msg_id: string;
	    sender: Sender;
	    kind: string;
	    visibility: string;
	    text?: string;
	    event?: Event;
	    attachment?: Attachment;
	    card?: Card;
	    quick_replies?: string[];
	    ext?: Record<string, string>;
	    created_at: number;
	}
	
	
	
	export interface MonitorState {
	    conversation_id: string;
	    monitors: Sender[];
	}
	
	
	
	
	
	export interface User {
	    id: string;
	    role: string;
	    name: string;
	    teams?: string[];
	}

}

