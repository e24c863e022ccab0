package server

import (
	"reflect"
	"strings"
	"testing"

	"switchboard/backend/store"
	"switchboard/protocol"
)

func TestBotHistory(t *testing.T) {
	msg := func(role, vis, kind, text string) store.Message {
		return store.Message{SenderRole: role, Visibility: vis, Kind: kind, Text: text}
	}
	pub, text := protocol.VisibilityPublic, protocol.KindText
	long := strings.Repeat("x", botHistoryBytes-10)
	tests := []struct {
		name string
		in   []store.Message
		want []BotTurn
	}{
		{"empty", nil, nil},
		{"roles", []store.Message{
			msg(protocol.RoleCustomer, pub, text, " where is my parcel "),
			msg(protocol.RoleBot, pub, text, "Which order?"),
			msg(protocol.RoleSupervisor, pub, text, "Let me check."),
			msg(protocol.RoleSystem, pub, protocol.KindEvent, ""),
			msg(protocol.RoleAgent, protocol.VisibilityInternal, text, "VIP, be nice"),
			msg(protocol.RoleCustomer, pub, protocol.KindImage, ""),
		}, []BotTurn{
			{protocol.RoleCustomer, "where is my parcel"},
			{protocol.RoleBot, "Which order?"},
			{protocol.RoleAgent, "Let me check."},
		}},
		{"bytes keep the newest", []store.Message{
			msg(protocol.RoleCustomer, pub, text, "old question"),
			msg(protocol.RoleBot, pub, text, long),
			msg(protocol.RoleCustomer, pub, text, "new"),
		}, []BotTurn{
			{protocol.RoleBot, long},
			{protocol.RoleCustomer, "new"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := botHistory(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("botHistory = %+v, want %+v", got, tt.want)
			}
		})
	}
}
