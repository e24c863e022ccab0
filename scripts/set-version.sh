#!/usr/bin/env bash
# The one version number: the VERSION file, which the builds stamp into every
# binary and installer, and wails.json's info.productVersion, which Wails puts
# into the Windows version resource and the NSIS installer. The two must agree.
#
#   scripts/set-version.sh X.Y.Z   set both (make version V=X.Y.Z)
#   scripts/set-version.sh --check fail when they differ
#
# X.Y.Z only: Windows Installer and the version resource take numbers, and an
# MSI compares only the first three fields, so each release needs a new X.Y.Z.
set -euo pipefail
cd "$(dirname "$0")/.."

wails_version() {
  sed -n 's/^[[:space:]]*"productVersion":[[:space:]]*"\([^"]*\)".*$/\1/p' wails.json
}

check() {
  local v w
  v=$(tr -d '[:space:]' <VERSION)
  w=$(wails_version)
  if [[ $v != "$w" ]]; then
    echo "version mismatch: VERSION is '$v' but wails.json info.productVersion is '$w' (run scripts/set-version.sh $v)" >&2
    return 1
  fi
  valid "$v" || return 1
}

valid() {
  # Windows Installer: major and minor at most 255, build at most 65535.
  if [[ ! $1 =~ ^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,4})$ ]] ||
    ((BASH_REMATCH[1] > 255 || BASH_REMATCH[2] > 255 || BASH_REMATCH[3] > 65535)); then
    echo "bad version '$1': want X.Y.Z with X and Y at most 255 and Z at most 65535" >&2
    return 1
  fi
}

case ${1:-} in
  --check) check ;;
  "" | -h | --help)
    echo "usage: scripts/set-version.sh X.Y.Z | --check" >&2
    exit 2
    ;;
  *)
    valid "$1" || exit 2
    [[ $(grep -c '"productVersion"' wails.json) -eq 1 ]] || { echo "wails.json: want exactly one productVersion" >&2; exit 1; }
    printf '%s\n' "$1" >VERSION
    sed -i 's/^\([[:space:]]*"productVersion":[[:space:]]*"\)[^"]*\(".*\)$/\1'"$1"'\2/' wails.json
    # wails build -nsis rewrites this from wails.json; keep the committed copy in step.
    sed -i 's/^\([[:space:]]*!define INFO_PRODUCTVERSION "\)[^"]*"/\1'"$1"'"/' build/windows/installer/wails_tools.nsh
    check
    echo "version $1 (VERSION, wails.json)"
    ;;
esac
