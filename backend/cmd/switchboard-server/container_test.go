package main

import (
	"flag"
	"os"
	"strings"
	"testing"
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
