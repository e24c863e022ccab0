// Command tsgen writes the TypeScript types of the wire contract, package
// protocol, for the desktop UI and the widget: one module, copied to each.
// It is a small generator of our own rather than a third-party tool: it needs
// nothing beyond the standard library, and reading the package with go/types
// lets constant families, doc comments and omitempty fields come out the way
// the clients use them.
//
// Run it from the module root: go run ./internal/tsgen (or make types).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// outputs are where the generated module goes, relative to the module root.
var outputs = []string{
	"frontend/src/api/protocol.gen.ts",
	"backend/widget/src/protocol.gen.ts",
}

func main() {
	root := flag.String("root", ".", "the module root")
	flag.Parse()
	b, err := generate(filepath.Join(*root, "protocol"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "tsgen:", err)
		os.Exit(1)
	}
	for _, out := range outputs {
		if err := writeFile(filepath.Join(*root, out), b); err != nil {
			fmt.Fprintln(os.Stderr, "tsgen:", err)
			os.Exit(1)
		}
	}
}
