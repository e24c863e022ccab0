package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	natsserver "github.com/nats-io/nats-server/v2/server"

	"switchboard/backend/server"
	"switchboard/backend/store/postgres/pgtest"
	"switchboard/protocol"
)

// startNATS starts a real NATS server in this process on a free loopback
// port and returns its URL.
func startNATS(t *testing.T) string {
	t.Helper()
	ns, err := natsserver.NewServer(&natsserver.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		t.Fatal("the NATS server did not start")
	}
	t.Cleanup(ns.Shutdown)
	return ns.ClientURL()
}

// TestServeCluster runs two nodes of a cluster as serve does (one
// PostgreSQL store, one NATS bus): a customer on one node is offered to an
// agent on the other, and an admin command run where no node runs reaches
// the agent's node through the bus.
func TestServeCluster(t *testing.T) {
	clearEnv(t)
	pg, err := pgtest.Start(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Stop() })
	dsn, err := pg.CreateDB(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	bus := startNATS(t)
	node := func(name string) (string, *syncBuffer, func()) {
		base, log, _, stop := startServeArgs(t, "--demo", "--insecure-plaintext", "--data", t.TempDir(),
			"--store", dsn, "--bus", bus, "--node", name, "--kb-poll", "1h")
		return base, log, stop
	}
	one, _, stopOne := node("one")
	defer stopOne()
	two, logTwo, stopTwo := node("two")
	defer stopTwo()
	if !strings.Contains(logTwo.String(), `"node":"two"`) && !strings.Contains(logTwo.String(), "node=two") {
		t.Errorf("node two's log does not name it:\n%s", logTwo)
	}

	status, token, _ := signIn(t, two, "alice", server.DemoPassword)
	if status != http.StatusOK {
		t.Fatalf("sign in alice: %d", status)
	}
	ws := staffConn(t, two, token)
	v := newVisitor(t, one)
	v.ask("转人工")
	waitOffer(t, ws, v.conv.ID, "Alice", "alice, on node two, was not offered the conversation of node one's customer")

	// A knowledge base imported from a machine running no node: published
	// in the store, and the bus tells the nodes to load it (they would
	// look only hourly on their own).
	kbFile := filepath.Join(t.TempDir(), "kb.json")
	writeJSON(t, kbFile, shippingKB("集群的知识库"))
	if code, out, errOut := cli(t, "", "kb", "import", "--data", t.TempDir(), "--store", dsn, "--bus", bus, kbFile); code != 0 ||
		!strings.Contains(out, "published to the cluster's nodes") {
		t.Fatalf("kb import = %d, %q, %q", code, out, errOut)
	}
	waitFor(t, logTwo, "knowledge base reloaded")
	if answer := newVisitor(t, two).ask("多久能发货？"); answer.Text != "集群的知识库" {
		t.Errorf("node two answers %q after the import, want the imported knowledge base's answer", answer.Text)
	}

	// Disabled from a machine running no node: the bus tells node two.
	code, out, errOut := cli(t, "", "agent", "disable", "alice", "--data", t.TempDir(), "--store", dsn, "--bus", bus)
	if code != 0 || !strings.Contains(out, "published to the cluster's nodes") {
		t.Fatalf("agent disable = %d, %q, %q", code, out, errOut)
	}
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, _, err := ws.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != protocol.CloseUnauthorized {
			t.Fatalf("alice's connection ended with %v, want close %d", err, protocol.CloseUnauthorized)
		}
		break
	}
}

func TestOpenBusRefusesBadURLs(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:4222", "nats://", "nats://127.0.0.1:4222?queue=9", "127.0.0.1:4222"} {
		if b, err := openBus(u, nil); err == nil {
			b.Close()
			t.Errorf("openBus(%q) = nil error", u)
		}
	}
	if got := redactURL("nats://user:secret@a:4222,nats://b:4222"); strings.Contains(got, "secret") {
		t.Errorf("redactURL kept the password: %s", got)
	}
}

// waitOffer reads the staff connection ws until conversation id is offered
// to agent, failing with what after 10 s.
func waitOffer(t *testing.T, ws *websocket.Conn, id, agent, what string) {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		var f protocol.Frame
		json.Unmarshal(msg, &f)
		var c protocol.Conversation
		if f.Type == protocol.TypeConversation && json.Unmarshal(f.Data, &c) == nil && c.ID == id && c.OfferAgentName == agent {
			return
		}
	}
}
