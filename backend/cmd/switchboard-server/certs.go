package main

import (
	"crypto/tls"
	"log/slog"
	"os"
	"sync"
	"time"
)

// certReloader serves a certificate from a pair of PEM files and loads the
// pair again when either file changes, so that a renewed certificate
// (certbot, cert-manager) is used by the next handshake without a restart.
// A pair that fails to load is logged and the previous one kept.
type certReloader struct {
	certFile, keyFile string
	log               *slog.Logger

	// mu guards cert and the files' state it was loaded from.
	mu      sync.Mutex
	cert    *tls.Certificate
	certMod fileStamp
	keyMod  fileStamp
}

// fileStamp is what tells a changed file: its modification time and size.
type fileStamp struct {
	mod  time.Time
	size int64
}

func stampOf(path string) (fileStamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{fi.ModTime(), fi.Size()}, nil
}

// newCertReloader loads the pair once; an error here stops the server.
func newCertReloader(certFile, keyFile string, log *slog.Logger) (*certReloader, error) {
	r := &certReloader{certFile: certFile, keyFile: keyFile, log: log}
	if err := r.load(); err != nil {
		return nil, err
	}
	return r, nil
}

// load reads the pair; the caller holds mu or is the constructor.
func (r *certReloader) load() error {
	cm, err := stampOf(r.certFile)
	if err != nil {
		return err
	}
	km, err := stampOf(r.keyFile)
	if err != nil {
		return err
	}
	cert, err := tls.LoadX509KeyPair(r.certFile, r.keyFile)
	if err != nil {
		return err
	}
	r.cert, r.certMod, r.keyMod = &cert, cm, km
	return nil
}

// GetCertificate implements tls.Config.GetCertificate.
func (r *certReloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cm, cerr := stampOf(r.certFile)
	km, kerr := stampOf(r.keyFile)
	if cerr == nil && kerr == nil && (cm != r.certMod || km != r.keyMod) {
		if err := r.load(); err != nil {
			// Half-written during a renewal, or broken: keep serving the
			// old one; the next handshake tries again.
			r.log.Error("reload TLS certificate", "cert", r.certFile, "key", r.keyFile, "err", err)
		} else {
			r.log.Info("TLS certificate reloaded", "cert", r.certFile)
		}
	}
	return r.cert, nil
}

// tlsConfig is the server's TLS configuration over r.
func (r *certReloader) tlsConfig() *tls.Config {
	return &tls.Config{GetCertificate: r.GetCertificate, MinVersion: tls.VersionTLS12}
}
