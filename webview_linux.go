//go:build linux

package main

import "os"

// jscOptions are the JavaScriptCore options the web view runs with on
// Linux. WebKitGTK's web process inherits the app's environment, and
// JavaScriptCore reads an option from JSC_<name>. Without a JIT the web
// process holds 10–12 MiB less at idle (compiled code, the executable
// memory pool, the compilers' own pages of libjavascriptcoregtk). The UI's
// work is short bursts of rendering, and with its transcripts loaded ahead
// and its conversation view drawn once at start, the interpreter opens a
// conversation, scrolls a transcript and starts the app as fast as the
// baseline JIT did (docs/benchmarks.md, "Desktop benchmark").
var jscOptions = []struct{ name, value string }{
	{"JSC_useJIT", "false"},
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
