export namespace app {
	
	export class ConnState {
	    state: string;
	    error?: string;
	    pending: number;
	    clock_offset_ms: number;
	    status: string;
	
	    static createFrom(source: any = {}) {
	        return new ConnState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.error = source["error"];
	        this.pending = source["pending"];
	        this.clock_offset_ms = source["clock_offset_ms"];
	        this.status = source["status"];
	    }
	}
	export class Session {
	    server_url: string;
	    user: protocol.User;
	
	    static createFrom(source: any = {}) {
	        return new Session(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.server_url = source["server_url"];
	        this.user = this.convertValues(source["user"], protocol.User);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BootState {
	    signed_in: boolean;
	    session?: Session;
	    default_server_url: string;
	    default_username: string;
	    conn: ConnState;
	
	    static createFrom(source: any = {}) {
	        return new BootState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.signed_in = source["signed_in"];
	        this.session = this.convertValues(source["session"], Session);
	        this.default_server_url = source["default_server_url"];
	        this.default_username = source["default_username"];
	        this.conn = this.convertValues(source["conn"], ConnState);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CannedResponse {
	    shortcut: string;
	    text: string;
	    text_zh: string;
	
	    static createFrom(source: any = {}) {
	        return new CannedResponse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.shortcut = source["shortcut"];
	        this.text = source["text"];
	        this.text_zh = source["text_zh"];
	    }
	}
	
	export class DownloadProgress {
	    download_id: string;
	    file_id: string;
	    name: string;
	    received: number;
	    size: number;
	    done?: boolean;
	    path?: string;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new DownloadProgress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.download_id = source["download_id"];
	        this.file_id = source["file_id"];
	        this.name = source["name"];
	        this.received = source["received"];
	        this.size = source["size"];
	        this.done = source["done"];
	        this.path = source["path"];
	        this.error = source["error"];
	    }
	}
	export class MessagePage {
	    messages: protocol.Message[];
	    has_more: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MessagePage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.messages = this.convertValues(source["messages"], protocol.Message);
	        this.has_more = source["has_more"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class UploadProgress {
	    upload_id: string;
	    conversation_id: string;
	    name: string;
	    mime: string;
	    sent: number;
	    size: number;
	
	    static createFrom(source: any = {}) {
	        return new UploadProgress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.upload_id = source["upload_id"];
	        this.conversation_id = source["conversation_id"];
	        this.name = source["name"];
	        this.mime = source["mime"];
	        this.sent = source["sent"];
	        this.size = source["size"];
	    }
	}
	export class ViewState {
	    conversation_id: string;
	    focused: boolean;
	    lang: string;
	
	    static createFrom(source: any = {}) {
	        return new ViewState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversation_id = source["conversation_id"];
	        this.focused = source["focused"];
	        this.lang = source["lang"];
	    }
	}

}

export namespace protocol {
	
	export class AgentInfo {
	    id: string;
	    name: string;
	    role: string;
	    status: string;
	    load: number;
	    capacity: number;
	    teams: string[];
	    skills?: string[];
	
	    static createFrom(source: any = {}) {
	        return new AgentInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.status = source["status"];
	        this.load = source["load"];
	        this.capacity = source["capacity"];
	        this.teams = source["teams"];
	        this.skills = source["skills"];
	    }
	}
	export class Attachment {
	    id: string;
	    name: string;
	    size: number;
	    mime: string;
	    width?: number;
	    height?: number;
	    duration_ms?: number;
	    has_thumb?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Attachment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.size = source["size"];
	        this.mime = source["mime"];
	        this.width = source["width"];
	        this.height = source["height"];
	        this.duration_ms = source["duration_ms"];
	        this.has_thumb = source["has_thumb"];
	    }
	}
	export class Card {
	    type: string;
	    version: number;
	    data: number[];
	    fallback?: string;
	
	    static createFrom(source: any = {}) {
	        return new Card(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.version = source["version"];
	        this.data = source["data"];
	        this.fallback = source["fallback"];
	    }
	}
	export class PastConversation {
	    id: string;
	    state: string;
	    team?: string;
	    assignee_name?: string;
	    handoff_reason?: string;
	    last_text?: string;
	    rating?: number;
	    created_at: number;
	    updated_at: number;
	
	    static createFrom(source: any = {}) {
	        return new PastConversation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.state = source["state"];
	        this.team = source["team"];
	        this.assignee_name = source["assignee_name"];
	        this.handoff_reason = source["handoff_reason"];
	        this.last_text = source["last_text"];
	        this.rating = source["rating"];
	        this.created_at = source["created_at"];
	        this.updated_at = source["updated_at"];
	    }
	}
	export class Profile {
	    id: string;
	    name: string;
	    created_at: number;
	    conversations: number;
	
	    static createFrom(source: any = {}) {
	        return new Profile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.created_at = source["created_at"];
	        this.conversations = source["conversations"];
	    }
	}
	export class HandoffPacket {
	    trigger: string;
	    reason?: string;
	    intent?: string;
	    confidence: number;
	    locale?: string;
	    collected?: Record<string, string>;
	    summary?: string;
	    previous_agent_id?: string;
	    previous_agent_name?: string;
	    at: number;
	
	    static createFrom(source: any = {}) {
	        return new HandoffPacket(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.trigger = source["trigger"];
	        this.reason = source["reason"];
	        this.intent = source["intent"];
	        this.confidence = source["confidence"];
	        this.locale = source["locale"];
	        this.collected = source["collected"];
	        this.summary = source["summary"];
	        this.previous_agent_id = source["previous_agent_id"];
	        this.previous_agent_name = source["previous_agent_name"];
	        this.at = source["at"];
	    }
	}
	export class ContextData {
	    conversation_id: string;
	    packet?: HandoffPacket;
	    customer: Profile;
	    ext?: Record<string, string>;
	    previous: PastConversation[];
	
	    static createFrom(source: any = {}) {
	        return new ContextData(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversation_id = source["conversation_id"];
	        this.packet = this.convertValues(source["packet"], HandoffPacket);
	        this.customer = this.convertValues(source["customer"], Profile);
	        this.ext = source["ext"];
	        this.previous = this.convertValues(source["previous"], PastConversation);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Conversation {
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
	    created_at: number;
	    updated_at: number;
	
	    static createFrom(source: any = {}) {
	        return new Conversation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.customer_id = source["customer_id"];
	        this.customer_name = source["customer_name"];
	        this.channel = source["channel"];
	        this.state = source["state"];
	        this.team = source["team"];
	        this.assignee_id = source["assignee_id"];
	        this.assignee_name = source["assignee_name"];
	        this.handoff_reason = source["handoff_reason"];
	        this.ext = source["ext"];
	        this.epoch = source["epoch"];
	        this.last_seq = source["last_seq"];
	        this.last_text = source["last_text"];
	        this.customer_read_seq = source["customer_read_seq"];
	        this.agent_read_seq = source["agent_read_seq"];
	        this.priority = source["priority"];
	        this.queued_at = source["queued_at"];
	        this.offer_agent_id = source["offer_agent_id"];
	        this.offer_agent_name = source["offer_agent_name"];
	        this.offer_expires_at = source["offer_expires_at"];
	        this.transfer_from_id = source["transfer_from_id"];
	        this.rating = source["rating"];
	        this.rating_comment = source["rating_comment"];
	        this.created_at = source["created_at"];
	        this.updated_at = source["updated_at"];
	    }
	}
	export class TeamInfo {
	    id: string;
	    name: string;
	    skills?: string[];
	    queue_length: number;
	    agents_online: number;
	
	    static createFrom(source: any = {}) {
	        return new TeamInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.skills = source["skills"];
	        this.queue_length = source["queue_length"];
	        this.agents_online = source["agents_online"];
	    }
	}
	export class DirectoryData {
	    agents: AgentInfo[];
	    teams: TeamInfo[];
	
	    static createFrom(source: any = {}) {
	        return new DirectoryData(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.agents = this.convertValues(source["agents"], AgentInfo);
	        this.teams = this.convertValues(source["teams"], TeamInfo);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Event {
	    type: string;
	    from?: string;
	    to?: string;
	    reason?: string;
	    actor?: string;
	    card_seq?: number;
	    card_type?: string;
	    action?: string;
	    values?: number[];
	
	    static createFrom(source: any = {}) {
	        return new Event(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.reason = source["reason"];
	        this.actor = source["actor"];
	        this.card_seq = source["card_seq"];
	        this.card_type = source["card_type"];
	        this.action = source["action"];
	        this.values = source["values"];
	    }
	}
	
	export class Sender {
	    role: string;
	    id?: string;
	    name?: string;
	
	    static createFrom(source: any = {}) {
	        return new Sender(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.role = source["role"];
	        this.id = source["id"];
	        this.name = source["name"];
	    }
	}
	export class Message {
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
	
	    static createFrom(source: any = {}) {
	        return new Message(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversation_id = source["conversation_id"];
	        this.seq = source["seq"];
	        this.client_msg_id = source["client_msg_id"];
	        this.sender = this.convertValues(source["sender"], Sender);
	        this.kind = source["kind"];
	        this.visibility = source["visibility"];
	        this.text = source["text"];
	        this.event = this.convertValues(source["event"], Event);
	        this.attachment = this.convertValues(source["attachment"], Attachment);
	        this.card = this.convertValues(source["card"], Card);
	        this.quick_replies = source["quick_replies"];
	        this.ext = source["ext"];
	        this.created_at = source["created_at"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	export class User {
	    id: string;
	    role: string;
	    name: string;
	    teams?: string[];
	
	    static createFrom(source: any = {}) {
	        return new User(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.role = source["role"];
	        this.name = source["name"];
	        this.teams = source["teams"];
	    }
	}

}

