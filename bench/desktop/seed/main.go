// Command seed prepares a desktop app config directory for the desktop
// benchmark (scripts/bench-desktop.sh): a kept session of a demo agent on a
// server address, and an encrypted cache holding a realistic workload, so
// the app started on that directory opens signed in from the cache.
//
//	go run ./bench/desktop/seed -dir DIR -server URL [-messages 100000] [-conversations 200] [-big 10000]
//
// The secrets go in DIR/secrets.json (SWITCHBOARD_KEYRING=file), so start
// the app with that too. The token is not valid anywhere: point -server at
// a closed port and the app stays offline, working from the cache.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"switchboard/app"
	"switchboard/app/conn"
	"switchboard/app/secrets"
	"switchboard/internal/benchdata"
	"switchboard/protocol"
)

func main() {
	dir := flag.String("dir", "", "config directory to fill (required)")
	server := flag.String("server", "", "server address the session belongs to (required)")
	messages := flag.Int("messages", 100_000, "messages in the cache")
	conversations := flag.Int("conversations", 200, "conversations they are spread over")
	big := flag.Int("big", 10_000, "messages of the largest conversation")
	flag.Parse()
	if *dir == "" || *server == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*dir, *server, *messages, *conversations, *big); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(dir, server string, messages, conversations, big int) error {
	ctx := context.Background()
	agent := protocol.User{ID: "bench-agent", Role: protocol.RoleAgent, Name: "Carol", Teams: []string{"support"}}
	res := conn.LoginResult{Token: "bench-token", ExpiresAt: time.Now().Add(24 * time.Hour).UnixMilli(), User: agent}
	c, err := app.PrepareSession(ctx, app.Config{Dir: dir, SecretsMode: secrets.ModeFile}, server, res)
	if err != nil {
		return err
	}
	defer c.Close()
	t0 := time.Now()
	if err := benchdata.Seed(ctx, c, agent, messages, conversations, big); err != nil {
		return err
	}
	fmt.Printf("seeded %s: %d messages in %d conversations (largest %d) in %.1fs\n",
		dir, messages, conversations, big, time.Since(t0).Seconds())
	return nil
}
