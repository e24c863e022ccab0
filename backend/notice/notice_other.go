//go:build !unix

package notice

import "strings"

// isRefused recognizes a socket file nobody listens on; Windows reports it
// as a refused connection in the error text only.
func isRefused(err error) bool {
	return strings.Contains(err.Error(), "refused") || strings.Contains(err.Error(), "No connection could be made")
}
