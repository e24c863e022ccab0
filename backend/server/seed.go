package server

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"switchboard/backend/auth"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "switchboard-demo"

// DemoTeams are the teams SeedDemo creates.
// Each is the other's backup, but neither overflows by default (an
// operator sets a threshold).
var DemoTeams = []store.Team{
	{ID: "presales", Name: "售前", Skills: []string{"presales"}, Backup: "aftersales"},
	{ID: "aftersales", Name: "售后", Skills: []string{"aftersales", "refunds"}, Backup: "presales"},
}

// DemoSLA are the demo teams' service levels, set when a team has none:
// a minute in the queue, a minute to the first reply, three to the next.
var DemoSLA = store.SLA{WaitMS: 60_000, FirstResponseMS: 60_000, NextResponseMS: 180_000}

// DemoAccount is one account SeedDemo creates.
type DemoAccount struct {
	Username string
	Name     string
	Role     string
	Teams    []string
	// Capacity is the most conversations the account works at once.
	Capacity int
	// Skills are the account's skills beyond its teams' (languages).
	Skills []string
}

// DemoAccounts are the accounts SeedDemo creates, all with DemoPassword.
var DemoAccounts = []DemoAccount{
	{Username: "alice", Name: "Alice", Role: protocol.RoleAgent, Teams: []string{"presales"}, Capacity: 5, Skills: []string{"zh", "en"}},
	{Username: "bob", Name: "Bob", Role: protocol.RoleAgent, Teams: []string{"aftersales"}, Capacity: 5, Skills: []string{"zh"}},
	{Username: "carol", Name: "Carol", Role: protocol.RoleAgent, Teams: []string{"presales", "aftersales"}, Capacity: 8, Skills: []string{"zh", "en"}},
	{Username: "sam", Name: "Sam", Role: protocol.RoleSupervisor, Teams: []string{"presales", "aftersales"}, Capacity: 3, Skills: []string{"zh", "en"}},
}

// SeedDemo creates the demo teams and accounts. It is idempotent: on a
// seeded store it puts the accounts back to their demo state, keeping their
// ids (and so their conversations).
//
// capacity, when positive, replaces every account's demo capacity (load
// tests run hundreds of conversations per demo agent).
func SeedDemo(ctx context.Context, st store.Directory, capacity int) error {
	for _, t := range DemoTeams {
		if err := st.UpsertTeam(ctx, t); err != nil {
			return fmt.Errorf("seed team %s: %w", t.ID, err)
		}
	}
	teams, err := st.Teams(ctx)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	for _, t := range teams {
		if t.SLA == (store.SLA{}) && slices.ContainsFunc(DemoTeams, func(d store.Team) bool { return d.ID == t.ID }) {
			if _, err := st.SetTeamSLA(ctx, t.ID, DemoSLA); err != nil {
				return fmt.Errorf("seed team %s SLA: %w", t.ID, err)
			}
		}
	}
	for _, a := range DemoAccounts {
		hash := ""
		if cur, err := st.AgentByUsername(ctx, a.Username); err == nil {
			if ok, _ := auth.VerifyPassword(cur.PasswordHash, DemoPassword); ok {
				hash = cur.PasswordHash // skip a needless rehash
			}
		}
		if hash == "" {
			var err error
			if hash, err = auth.HashPassword(DemoPassword); err != nil {
				return fmt.Errorf("seed %s: %w", a.Username, err)
			}
		}
		if _, err := st.UpsertAgent(ctx, store.Agent{
			Username: a.Username, Name: a.Name, Role: a.Role, PasswordHash: hash, Teams: a.Teams, Capacity: cmp.Or(max(capacity, 0), a.Capacity), Skills: a.Skills,
		}); err != nil {
			return fmt.Errorf("seed %s: %w", a.Username, err)
		}
	}
	return nil
}
