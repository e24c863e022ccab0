package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"time"
)

// gencert writes a self-signed certificate and its key for tls_cert and
// tls_key: for test machines and development, where no CA issues one.
// Clients must be told to trust it (the desktop app's policy, a browser
// exception); production uses a CA's certificate.
func gencert(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gencert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	hosts := fs.String("hosts", "localhost,127.0.0.1", "comma-separated host names and IP addresses the certificate is for")
	certFile := fs.String("cert", "cert.pem", "certificate file to write (PEM)")
	keyFile := fs.String("key", "key.pem", "private key file to write (PEM, mode 0600)")
	days := fs.Int("days", 365, "days the certificate is valid")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "gencert: %s\n", fmt.Sprintf(format, a...))
		return 1
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gencert: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	names := splitList(*hosts)
	if len(names) == 0 {
		return fail("--hosts names no host")
	}
	if *days < 1 || *days > 3650 {
		return fail("--days must be 1 to 3650")
	}
	for _, f := range []string{*certFile, *keyFile} {
		if _, err := os.Stat(f); err == nil {
			return fail("%s exists; remove it or name another file", f)
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fail("%v", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return fail("%v", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: names[0], Organization: []string{"Switchboard (self-signed)"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(0, 0, *days),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	for _, h := range names {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return fail("%v", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fail("%v", err)
	}
	if err := writeNew(*keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return fail("%v", err)
	}
	if err := writeNew(*certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		os.Remove(*keyFile)
		return fail("%v", err)
	}
	fmt.Fprintf(stdout, "wrote %s and %s: self-signed for %v, valid until %s\n", *certFile, *keyFile, names, tmpl.NotAfter.Format("2006-01-02"))
	return 0
}

// writeNew writes data to a file that must not exist yet.
func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
