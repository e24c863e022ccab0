#!/usr/bin/env bash
# Installs what building, running and testing Switchboard needs and is not yet
# on this machine: Debian packages (as root), Go modules and npm packages.
# Idempotent: each step checks first and says what it does.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }

# Debian packages: the WebKitGTK/GTK headers for the desktop build, Chromium for
# the browser tests, Xvfb + ImageMagick + xdotool and a CJK font for the packaged
# app's screenshots, NSIS, msitools + wixl (MSI) and osslsigncode for the signed
# Windows installers, icoutils (wrestool) to read their version resources,
# libxml2-utils (xmllint) for the Group Policy templates, 64-bit Wine to install
# and uninstall them in the test, SoftHSM + the PKCS#11 engine + OpenSC to sign
# with a key on a token in the test,
# rpm to inspect the .rpm, GNOME Keyring + a D-Bus daemon
# for the OS keychain test, PostgreSQL for the PostgreSQL store's tests (they
# start their own throwaway cluster from its binaries).
pkgs=(build-essential curl pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev chromium xvfb xauth imagemagick xdotool fonts-droid-fallback nsis msitools wixl osslsigncode icoutils libxml2-utils wine64 softhsm2 libengine-pkcs11-openssl opensc rpm desktop-file-utils gnome-keyring dbus-daemon postgresql)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing Debian packages: ${missing[*]}"
    say "run as root, or: sudo apt-get install ${missing[*]}"
    exit 1
  fi
else
  say "Debian packages present"
fi

command -v go >/dev/null || { say "Go is not installed (need Go 1.26)"; exit 1; }
command -v npm >/dev/null || { say "Node.js/npm is not installed (need Node 20)"; exit 1; }

say "downloading Go modules (cached after the first time)"
go mod download

# npm ci only when the lock file changed since the last install.
for dir in frontend backend/widget e2e; do
  stamp="$dir/node_modules/.package-lock.json"
  if [[ ! -f $stamp || $dir/package-lock.json -nt $stamp ]]; then
    say "installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    say "npm packages in $dir are up to date"
  fi
done
