package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"switchboard/backend/api"
	"switchboard/backend/auth"
	"switchboard/backend/hub"
	"switchboard/backend/identity"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// maxBodyBytes caps JSON request bodies.
const maxBodyBytes = 64 << 10

// maxNameRunes caps a visitor's display name.
const maxNameRunes = 64

// routeMux is a ServeMux that remembers its patterns, so the authorization
// matrix test (authz_test.go) can insist on rows for every route.
type routeMux struct {
	*http.ServeMux
	patterns []string
}

func (m *routeMux) Handle(pattern string, h http.Handler) {
	m.ServeMux.Handle(pattern, h)
	m.patterns = append(m.patterns, pattern)
}

func (m *routeMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}

func (s *Server) routes() *http.ServeMux {
	mux := &routeMux{ServeMux: http.NewServeMux()}
	defer func() { s.patterns = mux.patterns }()
	mux.HandleFunc("/api/v1/login", s.handleLogin)
	mux.HandleFunc("/api/v1/refresh", s.handleRefresh)
	mux.HandleFunc("/api/v1/logout", s.handleLogout)
	mux.HandleFunc("/api/v1/visitor", s.siteCORS(s.handleVisitor))
	mux.HandleFunc(uploadsPath, s.handleUploads)
	mux.HandleFunc(filesPath+"{id}", s.handleFile(false))
	mux.HandleFunc(filesPath+"{id}/thumb", s.handleFile(true))
	mux.HandleFunc(transcriptPath, bearerCORS("GET", s.handleTranscript))
	mux.HandleFunc(transcriptEmailPath, bearerCORS("POST", s.handleTranscriptEmail))
	mux.HandleFunc(releasePath, s.handleRelease())
	mux.HandleFunc(protocol.AuditPath, s.handleAudit)
	// The integration API (package api): API keys, not staff tokens.
	integration := api.New(api.Config{Store: s.store, Keys: s.apiKeys, KB: s.kbEditor, Sites: s.cfg.Identity.SiteIDs(),
		RefreshVerified: s.refreshVerified, Changed: s.applyNoticeEverywhere, KBPublished: s.knowledgeBasePublished,
		DefaultHours: s.cfg.BusinessHours, Now: s.cfg.Now, Log: s.log})
	for _, r := range integration.Routes() {
		mux.HandleFunc(r.Pattern, r.Handler)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, protocol.ErrNotFound.WithMessage("no such endpoint"))
	})
	mux.HandleFunc("/healthz", cors(func(w http.ResponseWriter, r *http.Request) {
		if s.shuttingDown.Load() {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "shutting_down"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}))
	mux.HandleFunc("/readyz", s.handleReady)
	mux.Handle("/metrics", s.handleMetrics())
	mux.HandleFunc("/ws", s.handleWS)
	if s.cfg.Widget != nil {
		mux.Handle("/widget/", http.StripPrefix("/widget", s.cfg.Widget))
	}
	if s.cfg.DemoPage != nil {
		mux.Handle("/demo", s.cfg.DemoPage)
		mux.Handle("/demo/", s.cfg.DemoPage)
		mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/demo", http.StatusFound)
		})
	}
	return mux.ServeMux
}

// cors allows any origin: the widget is embedded on customers' sites, and
// these endpoints are authenticated by tokens in the body, never cookies.
func cors(h http.HandlerFunc) http.HandlerFunc {
	return corsWith("*", h)
}

// corsWith answers preflights and lets browsers read the answer from
// origin ("*": any), or, with origin "", from the request's own Origin.
func corsWith(origin string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		switch {
		case origin != "":
			hdr.Set("Access-Control-Allow-Origin", origin)
		case r.Header.Get("Origin") != "":
			hdr.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			fallthrough
		default:
			hdr.Add("Vary", "Origin")
		}
		hdr.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		hdr.Set("Access-Control-Allow-Headers", "Content-Type")
		hdr.Set("Access-Control-Max-Age", "600")
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h(w, r)
	}
}

// siteCORS is cors for the endpoints a page embedding the widget calls
// before it has a token: with sites configured, only their origins (and the
// server's own) may call them; the others are refused, and browsers are
// told which origin may read the answer.
func (s *Server) siteCORS(h http.HandlerFunc) http.HandlerFunc {
	open, own := cors(h), corsWith("", h)
	return func(w http.ResponseWriter, r *http.Request) {
		if len(s.cfg.Identity.Origins()) == 0 {
			open(w, r)
			return
		}
		if !s.originAllowed(r) {
			s.log.Info("origin refused", "origin", truncate(r.Header.Get("Origin"), 100), "path", r.URL.Path, "ip", clientIP(r))
			writeError(w, protocol.ErrForbidden.WithMessage("this site may not embed the chat; add its origin to the sites file"))
			return
		}
		own(w, r)
	}
}

// httpStatus maps a coded error onto its natural HTTP status.
func httpStatus(e *protocol.Error) int {
	switch e.Code {
	case protocol.ErrMalformed.Code, protocol.ErrInvalid.Code, protocol.ErrTextTooLong.Code,
		protocol.ErrUnknownType.Code, protocol.ErrUnsupported.Code:
		return http.StatusBadRequest
	case protocol.ErrBadCredentials.Code, protocol.ErrUnauthorized.Code, protocol.ErrTokenExpired.Code,
		protocol.ErrIdentityInvalid.Code, protocol.ErrIdentityExpired.Code, protocol.ErrRefreshReused.Code:
		return http.StatusUnauthorized
	case protocol.ErrForbidden.Code, protocol.ErrAccountDisabled.Code:
		return http.StatusForbidden
	case protocol.ErrNotFound.Code:
		return http.StatusNotFound
	case protocol.ErrIllegalState.Code, protocol.ErrConflict.Code:
		return http.StatusConflict
	case protocol.ErrFrameTooLarge.Code:
		return http.StatusRequestEntityTooLarge
	case protocol.ErrRateLimited.Code, protocol.ErrQuotaExceeded.Code:
		return http.StatusTooManyRequests
	case protocol.ErrUnavailable.Code:
		return http.StatusServiceUnavailable
	case protocol.ErrEmailUnavailable.Code:
		return http.StatusNotImplemented
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *protocol.Error) {
	if e.Code == protocol.ErrRateLimited.Code && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "15")
	}
	writeJSON(w, httpStatus(e), map[string]*protocol.Error{"error": e})
}

// readJSON decodes a JSON request body into v. An empty body is allowed when
// optional is true.
func readJSON(w http.ResponseWriter, r *http.Request, v any, optional bool) *protocol.Error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return protocol.ErrFrameTooLarge.WithMessage("request body exceeds %d bytes", maxBodyBytes)
		}
		return protocol.ErrInvalid.WithMessage("cannot read request body")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		if optional {
			return nil
		}
		return protocol.ErrInvalid.WithMessage("request body must be a JSON object")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return protocol.ErrMalformed.WithMessage("request body is not a valid JSON object")
	}
	return nil
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// LoginRequest is the body of POST /api/v1/login.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// LoginResponse answers POST /api/v1/login and POST /api/v1/refresh.
type LoginResponse struct {
	// Token is the access token: hello and HTTP calls carry it.
	Token     string `json:"token"`
	ExpiresAt int64  `json:"expires_at"` // unix milliseconds
	// RefreshToken is exchanged at POST /api/v1/refresh for the next pair,
	// once; RefreshExpiresAt is when it expires unused.
	RefreshToken     string        `json:"refresh_token"`
	RefreshExpiresAt int64         `json:"refresh_expires_at"` // unix milliseconds
	User             protocol.User `json:"user"`
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, protocol.ErrInvalid.WithMessage("use POST"))
		return
	}
	var req LoginRequest
	if perr := readJSON(w, r, &req, false); perr != nil {
		writeError(w, perr)
		return
	}
	if req.Username == "" || req.Password == "" || len(req.Username) > 128 || len(req.Password) > 1024 {
		writeError(w, protocol.ErrInvalid.WithMessage("username and password are required"))
		return
	}
	ip := clientIP(r)
	user := strings.ToLower(req.Username)
	if !s.loginAll.Allow("") {
		s.metrics.refused.WithLabelValues(refusedLoginRate).Inc()
		s.log.Warn("login rate limited: all addresses", "username", req.Username, "ip", ip)
		writeError(w, protocol.ErrRateLimited.WithMessage("too many sign-ins at once; try again in a moment"))
		return
	}
	if !s.loginLimit.Allow(user + "|" + ip) {
		s.log.Warn("login rate limited", "username", req.Username, "ip", ip)
		writeError(w, protocol.ErrRateLimited.WithMessage("too many sign-in attempts; wait a minute"))
		return
	}
	// Each failure from an address, and each failure on a username, makes
	// the next attempt wait longer: a spray of usernames from one address
	// and a guess at one username from many addresses both slow down. The
	// attempt counts from here, before its check, so parallel guesses count
	// too; a success clears both.
	if wait := s.addrBackoff.Attempt(ip); wait > 0 {
		s.refuseLogin(w, req.Username, ip, wait)
		return
	}
	if wait := s.userBackoff.Attempt(user); wait > 0 {
		s.addrBackoff.Forgive(ip)
		s.refuseLogin(w, req.Username, ip, wait)
		return
	}
	ctx := r.Context()
	agent, err := s.store.AgentByUsername(ctx, req.Username)
	hash := agent.PasswordHash
	switch {
	case errors.Is(err, store.ErrNotFound):
		hash = s.dummyHash
	case err != nil:
		s.addrBackoff.Forgive(ip)
		s.userBackoff.Forgive(user)
		s.log.Error("login", "username", req.Username, "err", err)
		writeError(w, protocol.ErrInternal)
		return
	}
	// Unknown usernames are checked too, against the dummy hash, and
	// through the same gate: every check holds its argon2 memory.
	ok, verr := s.passwords.Verify(ctx, hash, req.Password)
	switch {
	case errors.Is(verr, auth.ErrBusy), verr != nil && ctx.Err() != nil:
		// Nothing was checked: the attempt proves nothing either way.
		s.addrBackoff.Forgive(ip)
		s.userBackoff.Forgive(user)
		s.metrics.refused.WithLabelValues(refusedLoginBusy).Inc()
		s.log.Warn("login refused: password checks busy", "username", req.Username, "ip", ip)
		w.Header().Set("Retry-After", "2")
		writeError(w, protocol.ErrRateLimited.WithMessage("the server is busy with other sign-ins; try again in a moment"))
		return
	case verr != nil:
		s.log.Error("login: stored hash unreadable", "username", req.Username, "err", verr)
	}
	if err != nil || !ok {
		s.log.Info("login failed", "username", req.Username, "ip", ip)
		writeError(w, protocol.ErrBadCredentials)
		return
	}
	s.addrBackoff.Success(ip)
	s.userBackoff.Success(user)
	// Only the right password learns that the account is disabled.
	if agent.Disabled {
		s.log.Info("login refused: account disabled", "agent_id", agent.ID, "username", agent.Username, "ip", ip)
		writeError(w, protocol.ErrAccountDisabled)
		return
	}
	res, err := s.signIn(ctx, agent)
	if err != nil {
		s.log.Error("login: store refresh token", "agent_id", agent.ID, "err", err)
		writeError(w, protocol.ErrInternal)
		return
	}
	if err := s.store.AddAudit(ctx, store.AuditEntry{Actor: agent.ID, Action: "login", Detail: "ip=" + ip}); err != nil {
		s.log.Warn("audit login", "agent_id", agent.ID, "err", err)
	}
	s.log.Info("login", "agent_id", agent.ID, "username", agent.Username, "ip", ip)
	writeJSON(w, http.StatusOK, res)
}

// refuseLogin answers a login that must wait after failed ones, saying how
// long.
func (s *Server) refuseLogin(w http.ResponseWriter, username, ip string, wait time.Duration) {
	secs := int(math.Ceil(wait.Seconds()))
	s.metrics.refused.WithLabelValues(refusedLoginBackoff).Inc()
	s.log.Warn("login refused: backing off after failures", "username", username, "ip", ip, "wait_s", secs)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, protocol.ErrRateLimited.WithMessage("too many failed sign-ins; try again in %d s", secs))
}

// VisitorRequest is the body of POST /api/v1/visitor; every field is
// optional.
type VisitorRequest struct {
	// Token is a previous visitor token; when still valid, the same visitor
	// gets a fresh token.
	Token string `json:"token"`
	Name  string `json:"name"`
	// Identity is a signed identity token from the site's backend: the
	// visitor becomes that site's user (the same customer on every
	// device), with the fields it vouches for verified. Token is then
	// ignored.
	Identity string `json:"identity,omitempty"`
}

// VisitorResponse answers POST /api/v1/visitor.
type VisitorResponse struct {
	Token     string `json:"token"`
	VisitorID string `json:"visitor_id"`
	ExpiresAt int64  `json:"expires_at"` // unix milliseconds
	// Verified is true when the token is for a verified identity.
	Verified bool `json:"verified,omitempty"`
}

func (s *Server) handleVisitor(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, protocol.ErrInvalid.WithMessage("use POST"))
		return
	}
	var req VisitorRequest
	if perr := readJSON(w, r, &req, true); perr != nil {
		writeError(w, perr)
		return
	}
	if !utf8.ValidString(req.Name) || utf8.RuneCountInString(req.Name) > maxNameRunes {
		writeError(w, protocol.ErrInvalid.WithMessage("name must be valid text of at most %d characters", maxNameRunes))
		return
	}
	if !s.visitorLimit.Allow(clientIP(r)) {
		writeError(w, protocol.ErrRateLimited)
		return
	}
	if req.Identity != "" {
		s.identifiedVisitor(w, r, req)
		return
	}
	id := ""
	if req.Token != "" {
		// Only an anonymous visitor's token is renewed here: a verified
		// customer's id comes from a fresh identity token, never from a
		// visitor token alone once that identity has lapsed.
		if c, err := s.signer.Verify(req.Token); err == nil && c.Role == protocol.RoleCustomer && !isIdentityCustomer(c.Subject) {
			id = c.Subject
		}
	}
	if id == "" {
		id = uuid.NewString()
	}
	if _, err := s.store.UpsertCustomer(r.Context(), store.Customer{ID: id, Name: protocol.CleanDisplay(req.Name)}); err != nil {
		s.log.Error("visitor", "customer_id", id, "err", err)
		writeError(w, protocol.ErrInternal)
		return
	}
	token, claims := s.signer.Issue(id, protocol.RoleCustomer, s.cfg.VisitorTokenTTL)
	writeJSON(w, http.StatusOK, VisitorResponse{Token: token, VisitorID: id, ExpiresAt: claims.ExpiresAt})
}

// identifiedVisitor answers POST /api/v1/visitor with an identity token:
// the customer is the site's user, their verified fields replaced by what
// the token vouches for, and their open conversation (if any) updated at
// once. The visitor token lasts no longer than the identity token.
func (s *Server) identifiedVisitor(w http.ResponseWriter, r *http.Request, req VisitorRequest) {
	id, err := s.cfg.Identity.Verify(req.Identity)
	switch {
	case errors.Is(err, identity.ErrExpired):
		writeError(w, protocol.ErrIdentityExpired)
		return
	case errors.Is(err, identity.ErrNotConfigured):
		writeError(w, protocol.ErrIdentityInvalid.WithMessage("this server verifies no identity tokens; leave identity out"))
		return
	case err != nil:
		s.log.Info("identity token refused", "ip", clientIP(r), "err", err)
		writeError(w, protocol.ErrIdentityInvalid)
		return
	}
	ctx := r.Context()
	custID := id.CustomerID()
	fields := cleanExt(id.Fields)
	name := fields[identity.FieldName]
	if name == "" {
		name = protocol.CleanDisplay(req.Name)
	}
	if _, err := s.store.UpsertCustomer(ctx, store.Customer{ID: custID, Name: name, Verified: fields}); err != nil {
		s.log.Error("identified visitor", "customer_id", custID, "err", err)
		writeError(w, protocol.ErrInternal)
		return
	}
	if err := s.refreshVerified(ctx, custID, fields); err != nil {
		s.log.Error("identified visitor: update the open conversation", "customer_id", custID, "err", err)
		writeError(w, protocol.ErrInternal)
		return
	}
	ttl := min(s.cfg.VisitorTokenTTL, id.ExpiresAt.Add(identity.Leeway).Sub(s.cfg.Now()))
	token, claims := s.signer.Issue(custID, protocol.RoleCustomer, ttl)
	s.log.Info("identified visitor", "customer_id", custID, "site", id.Site, "ip", clientIP(r))
	writeJSON(w, http.StatusOK, VisitorResponse{Token: token, VisitorID: custID, ExpiresAt: claims.ExpiresAt, Verified: true})
}

// isIdentityCustomer reports whether a customer id is a verified site
// user's (identity.Identity.CustomerID), not an anonymous visitor's.
func isIdentityCustomer(id string) bool { return strings.HasPrefix(id, "usr-") }

// takeConn counts a new WebSocket connection from ip, or reports false when
// ip holds Config.MaxConnsPerAddress already. Each connection holds a
// goroutine pair and buffers; without a cap per address one client could
// hold them all.
func (s *Server) takeConn(ip string) bool {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if limit := s.cfg.MaxConnsPerAddress; limit > 0 && s.conns[ip] >= limit {
		return false
	}
	s.conns[ip]++
	return true
}

// dropConn uncounts a connection takeConn counted.
func (s *Server) dropConn(ip string) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if s.conns[ip]--; s.conns[ip] <= 0 {
		delete(s.conns, ip)
	}
}

var upgrader = websocket.Upgrader{
	// Zero read size reuses the HTTP server's 4 KB reader, and the pool lends
	// a write buffer only while a frame is written: most connections are
	// idle most of the time, so holding buffers per connection is what
	// dominated the memory per connection.
	ReadBufferSize:  0,
	WriteBufferSize: 4096,
	WriteBufferPool: &sync.Pool{},
	// The hello token, not a cookie, authenticates the connection, so a
	// foreign page gains nothing by connecting; handleWS still checks the
	// Origin against the configured sites first (originAllowed), to answer
	// with a coded error.
	CheckOrigin: func(*http.Request) bool { return true },
}

func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	s.httpMu.Lock()
	if s.shuttingDown.Load() {
		s.httpMu.Unlock()
		writeError(w, protocol.ErrUnavailable)
		return
	}
	s.wsHandlers.Add(1)
	s.httpMu.Unlock()
	release := s.wsHandlers.Done
	// Once the hub has the connection, it releases it instead.
	defer func() {
		if release != nil {
			release()
		}
	}()
	if !s.originAllowed(r) {
		s.log.Info("origin refused", "origin", truncate(r.Header.Get("Origin"), 100), "path", r.URL.Path, "ip", clientIP(r))
		writeError(w, protocol.ErrForbidden.WithMessage("this site may not embed the chat"))
		return
	}
	ip := clientIP(r)
	if !s.takeConn(ip) {
		s.metrics.refused.WithLabelValues(refusedConnections).Inc()
		s.log.Warn("websocket refused: connections per address", "ip", ip, "limit", s.cfg.MaxConnsPerAddress)
		writeError(w, protocol.ErrQuotaExceeded.WithMessage(
			"too many connections from your address (at most %d)", s.cfg.MaxConnsPerAddress))
		return
	}
	release = func() {
		s.dropConn(ip)
		s.wsHandlers.Done()
	}
	ws, err := hub.Upgrade(&upgrader, w, r, nil)
	if err != nil {
		// Upgrade has answered the request already.
		s.log.Debug("websocket upgrade", "err", err)
		return
	}
	p := newPeer(s)
	// The connection outlives this handler: returning lets net/http free
	// what it holds for the request.
	end := release
	release = nil
	s.hub.Start(context.WithoutCancel(r.Context()), ws, p, func() {
		p.end()
		end()
	})
}
