package main

import (
	"flag"
	"maps"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestContainerfile reads build/container/Containerfile without a container
// engine (none runs here): three stages (Node for the widget, Go without
// cgo for the server, distroless to run), a non-root user, the /data
// volume, port 8080, the healthcheck subcommand as the probe, directories
// that exist, and environment variables that are serve settings.
func TestContainerfile(t *testing.T) {
	const root = "../../../"
	b, err := os.ReadFile(root + "build/container/Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	// Join continuation lines, drop comments.
	text := strings.ReplaceAll(string(b), "\\\n", " ")
	var froms []string
	directives := map[string][]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		instr, rest, _ := strings.Cut(line, " ")
		instr = strings.ToUpper(instr)
		directives[instr] = append(directives[instr], strings.TrimSpace(rest))
		if instr == "FROM" {
			froms = append(froms, rest)
		}
	}
	if len(froms) != 3 || !strings.Contains(froms[0], "node:") || !strings.Contains(froms[1], "golang:") || !strings.Contains(froms[2], "distroless") {
		t.Errorf("stages = %q, want node, golang, distroless", froms)
	}
	runs := strings.Join(directives["RUN"], "\n")
	if !strings.Contains(runs, "CGO_ENABLED=0 go build") || !strings.Contains(runs, "./backend/cmd/switchboard-server") {
		t.Errorf("no CGO_ENABLED=0 build of the server in %q", runs)
	}
	if !strings.Contains(runs, "npm ci") || !strings.Contains(runs, "npm run build") {
		t.Errorf("no widget build in %q", runs)
	}
	if u := directives["USER"]; len(u) != 1 || strings.HasPrefix(u[0], "0") || strings.HasPrefix(u[0], "root") {
		t.Errorf("USER = %q, want one non-root user", u)
	}
	if v := strings.Join(directives["VOLUME"], " "); !strings.Contains(v, `"/data"`) {
		t.Errorf("VOLUME = %q, want /data", v)
	}
	if e := directives["EXPOSE"]; len(e) != 1 || e[0] != "8080" {
		t.Errorf("EXPOSE = %q, want 8080", e)
	}
	if h := strings.Join(directives["HEALTHCHECK"], " "); !strings.Contains(h, `"/usr/bin/switchboard-server", "healthcheck"`) {
		t.Errorf("HEALTHCHECK = %q, want the healthcheck subcommand", h)
	}
	for _, c := range directives["COPY"] {
		if strings.HasPrefix(c, "--from") {
			continue
		}
		fields := strings.Fields(c)
		for _, src := range fields[:len(fields)-1] {
			if _, err := os.Stat(root + src); err != nil {
				t.Errorf("COPY source %s: %v", src, err)
			}
		}
	}

	var c serveConfig
	var p string
	fs := serveFlags(&c, &p)
	known := map[string]*flag.Flag{}
	fs.VisitAll(func(f *flag.Flag) { known[envName(f.Name)] = f })
	env := strings.Fields(strings.Join(directives["ENV"], " "))
	if len(env) == 0 {
		t.Fatal("no ENV")
	}
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		f := known[k]
		if !ok || f == nil {
			t.Errorf("ENV %s is not a serve setting", kv)
			continue
		}
		if err := f.Value.Set(v); err != nil {
			t.Errorf("ENV %s: %v", kv, err)
		}
	}
	if err := c.validate(); err != nil {
		t.Errorf("the image's settings do not validate: %v", err)
	}
}

// TestComposeCluster reads build/container/compose.cluster.yml: three or
// more nodes built from the Containerfile, each with the same store (on
// PostgreSQL), bus (NATS) and files (S3) and the other shared settings, a
// node name and a data volume of its own, settings that serve accepts, and
// a proxy in front that sends to every node.
func TestComposeCluster(t *testing.T) {
	const dir = "../../../build/container/"
	b, err := os.ReadFile(dir + "compose.cluster.yml")
	if err != nil {
		t.Fatal(err)
	}
	type service struct {
		Build *struct {
			Context    string `yaml:"context"`
			Dockerfile string `yaml:"dockerfile"`
		} `yaml:"build"`
		Image       string            `yaml:"image"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
	}
	var doc struct {
		Services map[string]service `yaml:"services"`
		Volumes  map[string]any     `yaml:"volumes"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("compose.cluster.yml: %v", err)
	}

	var c serveConfig
	var p string
	known := map[string]*flag.Flag{}
	serveFlags(&c, &p).VisitAll(func(f *flag.Flag) { known[envName(f.Name)] = f })
	// Each node's own settings; every other one must be the same on all.
	own := map[string]bool{"SWITCHBOARD_NODE": true}

	var nodes []string
	var first map[string]string
	names := map[string]string{}
	data := map[string]string{}
	for name, s := range doc.Services {
		if s.Build == nil {
			continue
		}
		nodes = append(nodes, name)
		if s.Build.Dockerfile != "build/container/Containerfile" {
			t.Errorf("%s: dockerfile %q, want build/container/Containerfile", name, s.Build.Dockerfile)
		}
		if _, err := os.Stat(dir + s.Build.Context + "/" + s.Build.Dockerfile); err != nil {
			t.Errorf("%s: build context %q does not hold the Containerfile: %v", name, s.Build.Context, err)
		}
		env := s.Environment
		node := env["SWITCHBOARD_NODE"]
		if node == "" {
			t.Errorf("%s: no SWITCHBOARD_NODE", name)
		} else if other, dup := names[node]; dup {
			t.Errorf("%s and %s are both node %q: a node ignores the pushes of its own name", other, name, node)
		}
		names[node] = name
		for _, v := range s.Volumes {
			vol, target, _ := strings.Cut(v, ":")
			if strings.HasPrefix(target, "/data") {
				if other, dup := data[vol]; dup {
					t.Errorf("%s and %s share the data volume %s: one server per data directory", other, name, vol)
				}
				data[vol] = name
				if _, ok := doc.Volumes[vol]; !ok {
					t.Errorf("%s: volume %s is not declared", name, vol)
				}
			}
		}
		if first == nil {
			first = env
		}
		for k, v := range env {
			if !own[k] && first[k] != v {
				t.Errorf("%s: %s = %q, but %s on another node", name, k, v, first[k])
			}
		}
		for k := range first {
			if _, ok := env[k]; !ok && !own[k] {
				t.Errorf("%s lacks %s", name, k)
			}
		}

		// The image's own settings, then the node's: serve must take them.
		var c serveConfig
		fs := serveFlags(&c, &p)
		all := map[string]string{"SWITCHBOARD_ADDR": "0.0.0.0:8080", "SWITCHBOARD_INSECURE": "true"}
		maps.Copy(all, env)
		for k, v := range all {
			if strings.HasPrefix(k, "AWS_") {
				continue
			}
			f := known[k]
			if f == nil {
				t.Errorf("%s: %s is not a serve setting", name, k)
				continue
			}
			if err := fs.Set(f.Name, v); err != nil {
				t.Errorf("%s: %s=%s: %v", name, k, v, err)
			}
		}
		if err := c.validate(); err != nil {
			t.Errorf("%s: the settings do not validate: %v", name, err)
		}
		for _, want := range []struct{ setting, prefix string }{
			{c.Store, "postgres://"}, {c.Bus, "nats://"}, {c.Files, "s3://"},
		} {
			if !strings.HasPrefix(want.setting, want.prefix) {
				t.Errorf("%s: %q, want a %s URL shared by the nodes", name, want.setting, want.prefix)
			}
		}
		if !c.InsecurePlaintext {
			t.Errorf("%s: the PostgreSQL store needs SWITCHBOARD_INSECURE_PLAINTEXT", name)
		}
	}
	if len(nodes) < 3 {
		t.Fatalf("nodes = %q, want three built from the Containerfile", nodes)
	}

	caddy, err := os.ReadFile(dir + "cluster.Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(caddy), "\n") {
		if strings.Contains(line, "reverse_proxy") {
			for _, n := range nodes {
				if !strings.Contains(line, n+":8080") {
					t.Errorf("cluster.Caddyfile: %q does not send to %s", strings.TrimSpace(line), n)
				}
			}
		}
	}
	for _, want := range []string{"health_uri /readyz"} {
		if !strings.Contains(string(caddy), want) {
			t.Errorf("cluster.Caddyfile lacks %q", want)
		}
	}
	// No sticky sessions: with the files on S3 every node continues any
	// upload.
	for _, unwanted := range []string{"ip_hash", "lb_policy cookie", "sticky"} {
		if strings.Contains(string(caddy), unwanted) {
			t.Errorf("cluster.Caddyfile pins clients to nodes (%q)", unwanted)
		}
	}
	if !strings.Contains(string(b), "s3://") {
		t.Error("compose.cluster.yml does not keep the files on S3, which uploads across nodes need")
	}
}
