package protocol

// Canned responses: shared replies staff insert in the composer by typing
// "/" and a shortcut. Each is global or one team's; the desktop fills its
// variables ({customer.name}, {order_no}, {agent.name}, {ext.KEY}) before
// the agent sends the text as their own message.

// Frame types of canned responses. Each is answered by a frame of the same
// type unless its comment says otherwise.
const (
	// TypeCanned (CannedRequest): the canned responses the caller may use:
	// the global ones and those of the caller's teams (an admin's: all).
	// Staff only. The reply is CannedList.
	TypeCanned = "canned"
	// TypeCannedEdit (CannedEditData): create, update or delete one canned
	// response. Admins edit every scope, global included; supervisors
	// their teams'; agents none (forbidden). Each edit is in the audit
	// log. The reply is the CannedResponse as stored (for a delete, as it
	// was); the staff who may read its scope get a canned_changed push.
	TypeCannedEdit = "canned_edit"
	// TypeCannedChanged (CannedChange), pushed by the server: a canned
	// response of a scope the connection reads was saved or deleted.
	TypeCannedChanged = "canned_changed"
)

// Ops of CannedEditData.
const (
	CannedOpCreate = "create"
	CannedOpUpdate = "update"
	CannedOpDelete = "delete"
)

// MaxCannedRunes bounds each language's text of a canned response.
const MaxCannedRunes = 2000

// CannedText is a canned response's text per language; either may be
// empty, not both.
type CannedText struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// CannedResponse is one shared canned response.
type CannedResponse struct {
	ID string `json:"id"`
	// Team is the team whose staff use it; "" for global.
	Team  string `json:"team"`
	Title string `json:"title"`
	// Shortcut is what "/" matches, lower case, without the "/".
	Shortcut  string     `json:"shortcut"`
	Text      CannedText `json:"text"`
	UpdatedBy string     `json:"updated_by"`
	UpdatedAt int64      `json:"updated_at"` // unix milliseconds
}

// CannedRequest asks for the canned responses.
type CannedRequest struct{}

// CannedList is the canned responses a caller may use, global ones first,
// then by team and shortcut.
type CannedList struct {
	Responses []CannedResponse `json:"responses"`
}

// CannedEditData is one change of a canned response. Create takes Team
// ("" for global), Title (the shortcut when empty), Shortcut and Text;
// update takes ID and the same fields but Team (a response stays in its
// scope); delete takes ID.
type CannedEditData struct {
	Op       string     `json:"op"`
	ID       string     `json:"id,omitempty"`
	Team     string     `json:"team,omitempty"`
	Title    string     `json:"title,omitempty"`
	Shortcut string     `json:"shortcut,omitempty"`
	Text     CannedText `json:"text"`
}

// CannedChange is a saved or deleted canned response.
type CannedChange struct {
	Response CannedResponse `json:"response"`
	Deleted  bool           `json:"deleted,omitempty"`
}
