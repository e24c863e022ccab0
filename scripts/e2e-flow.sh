#!/usr/bin/env bash
# End-to-end flow test: the real server, the desktop app's real Go side under
# `wails dev` (in Xvfb) and the customer widget, driven by Playwright in
# Debian's Chromium. Logs and screenshots land in e2e/out/.
set -euo pipefail
cd "$(dirname "$0")/../e2e"
exec node --test --test-concurrency=1 --test-timeout=900000 flow.test.mjs supervise.test.mjs botreport.test.mjs canned-transcript.test.mjs
