package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheck asks a running server's /healthz and exits 0 when it answers
// 200: the container HEALTHCHECK, which has no curl in a distroless image.
// The address comes from --url, else from the settings serve would read
// (config file, environment), so the probe follows the server's own config.
func healthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "config file of the server (env "+configEnv+")")
	base := fs.String("url", "", "base URL of the server (default: from the config's addr and TLS settings)")
	timeout := fs.Duration("timeout", 5*time.Second, "how long to wait for the answer")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "healthcheck: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *base == "" {
		c, err := loadSettings(*configPath)
		if err != nil {
			fmt.Fprintf(stderr, "healthcheck: %v\n", err)
			return 2
		}
		scheme := "http"
		if c.TLSCert != "" {
			scheme = "https"
		}
		*base = scheme + "://" + probeAddr(c.Addr)
	}
	client := &http.Client{
		Timeout: *timeout,
		// The probe runs beside the server and sends nothing secret; the
		// certificate names the public host, not the address probed.
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *base+"/healthz", nil)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 2
	}
	resp, err := client.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "healthcheck: %s/healthz answered %s\n", *base, resp.Status)
		return 1
	}
	fmt.Fprintf(stdout, "ok: %s\n", *base)
	return 0
}

// probeAddr turns a listen address into one to connect to: an unspecified
// host (":8080", "0.0.0.0:8080") is probed on loopback.
func probeAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
		if ip != nil && ip.To4() == nil {
			host = "::1"
		}
	}
	return net.JoinHostPort(host, port)
}
