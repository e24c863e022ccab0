//go:build linux

package main

import "os"

// jscOptions are the JavaScriptCore options the web view runs with on
// Linux. WebKitGTK's web process inherits the app's environment, and
// JavaScriptCore reads an option from JSC_<name>. Without the optimizing
// DFG and FTL tiers the web process holds 8–10 MiB less at idle (their
// compiled code and the compilers' own pages) and the UI, whose work is
// short bursts of rendering that the baseline tiers serve, opens a
// conversation no slower (docs/benchmarks.md, "Desktop benchmark").
var jscOptions = []struct{ name, value string }{
	{"JSC_useDFGJIT", "false"},
	{"JSC_useFTLJIT", "false"},
}

// tuneWebView sets the jscOptions the environment does not set already,
// before the web view's process is started.
func tuneWebView() {
	for _, o := range jscOptions {
		if _, ok := os.LookupEnv(o.name); !ok {
			os.Setenv(o.name, o.value)
		}
	}
}
