export namespace app {
	
	export class ConnState {
	    state: string;
	    error?: string;
	    pending: number;
	
	    static createFrom(source: any = {}) {
	        return new ConnState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.error = source["error"];
	        this.pending = source["pending"];
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
	

}

export namespace protocol {
	
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
	        this.created_at = source["created_at"];
	        this.updated_at = source["updated_at"];
	    }
	}
	export class Event {
	    type: string;
	    from?: string;
	    to?: string;
	    reason?: string;
	    actor?: string;
	
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

