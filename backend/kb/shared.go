package kb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"
)

// The imported knowledge base lives in the store, where every node of a
// cluster reads it: the kb.json bytes under SettingKey, and their SHA-256
// under SumKey, written after them, which is what a node looks at to see
// whether there is a new one. "kb import" publishes it and tells the running
// nodes (a change notice); each node also looks every poll interval, as a
// safety net for a lost notice.

// Keys of the store's settings.
const (
	SettingKey = "kb.json"
	SumKey     = "kb.sha256"
)

// Settings is the part of the store the shared knowledge base needs.
type Settings interface {
	Setting(ctx context.Context, key string) (value string, ok bool, err error)
	PutSetting(ctx context.Context, key, value string) error
}

// Publish validates data as a knowledge base in kb.json format and stores
// it for every node. Invalid data stores nothing.
func Publish(ctx context.Context, st Settings, data []byte) (*KB, error) {
	k, err := Load(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if err := st.PutSetting(ctx, SettingKey, string(data)); err != nil {
		return nil, fmt.Errorf("publish knowledge base: %w", err)
	}
	if err := st.PutSetting(ctx, SumKey, sum(data)); err != nil {
		return nil, fmt.Errorf("publish knowledge base: %w", err)
	}
	return k, nil
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// Shared follows the knowledge base published in the store. It is used by
// one goroutine at a time.
type Shared struct {
	st   Settings
	last string // the sum setting as of the last one loaded
}

// NewShared returns a follower of the knowledge base published in st.
func NewShared(st Settings) *Shared { return &Shared{st: st} }

// Load loads the published knowledge base if it changed since the last
// Load (the first Load sees any as changed). It returns nil and no error
// when there is none or it is unchanged. One that fails to load counts as
// seen: it is not tried again until another is published.
func (s *Shared) Load(ctx context.Context) (*KB, error) {
	cur, ok, err := s.st.Setting(ctx, SumKey)
	if err != nil {
		return nil, fmt.Errorf("read the knowledge base's sum: %w", err)
	}
	if !ok || cur == s.last {
		return nil, nil
	}
	data, ok, err := s.st.Setting(ctx, SettingKey)
	if err != nil {
		return nil, fmt.Errorf("read the knowledge base: %w", err)
	}
	if !ok {
		return nil, nil
	}
	// The sum read before the data is what is remembered: a publish
	// racing the read changes the sum again, and the next Load reads once
	// more.
	s.last = cur
	return Load(bytes.NewReader([]byte(data)))
}

// Run calls Load when kick receives and every interval until ctx is done,
// and hands each changed knowledge base to apply. One that fails to load,
// or that apply refuses, is logged as an error; the caller keeps the
// knowledge base it had.
func (s *Shared) Run(ctx context.Context, interval time.Duration, kick <-chan struct{}, log *slog.Logger, apply func(*KB) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-kick:
		}
		k, err := s.Load(ctx)
		if err == nil && k != nil {
			err = apply(k)
		}
		if err != nil && ctx.Err() == nil {
			log.Error("reload knowledge base, keeping the current one", "err", err)
		}
	}
}
