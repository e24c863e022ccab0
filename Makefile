# Switchboard — the two commands are `make run` and `make test` (see README.md).
# Both install what is missing first (scripts/deps.sh), so they work on a fresh
# Debian 12 machine.

SHELL      := bash
VERSION    := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GO_LDFLAGS := -s -w -X switchboard/internal/buildinfo.Version=$(VERSION)
WAILS      := go tool wails
WAILS_TAGS := webkit2_41

.PHONY: run test deps frontend widget server desktop build dist bench clean

run: deps build ## build everything, start the demo server and the signed-in desktop app
	@scripts/run.sh

test: deps ## vet, unit tests, fuzz, frontend tests, cross-builds, end-to-end tests
	@scripts/test.sh

deps:
	@scripts/deps.sh

frontend:
	@echo "==> building the desktop UI (frontend/dist)"
	@cd frontend && npm run build --silent

widget:
	@echo "==> building the customer widget (backend/widget/dist)"
	@cd backend/widget && npm run build --silent

server: widget
	@echo "==> building bin/switchboard-server (CGO_ENABLED=0)"
	@CGO_ENABLED=0 go build -trimpath -ldflags '$(GO_LDFLAGS)' -o bin/switchboard-server ./backend/cmd/switchboard-server

desktop: frontend
	@echo "==> building the desktop app build/bin/switchboard (Wails, $(WAILS_TAGS))"
	@$(WAILS) build -s -skipbindings -m -nosyncgomod -tags $(WAILS_TAGS) -ldflags "-X switchboard/internal/buildinfo.Version=$(VERSION)" >/dev/null
	@test -x build/bin/switchboard

build: server desktop

dist: deps build ## Linux binary and the Windows NSIS installer
	@scripts/dist.sh

clean:
	rm -rf bin build/bin frontend/dist/assets frontend/dist/index.html backend/widget/dist/*.js backend/widget/dist/*.css backend/widget/dist/*.html
