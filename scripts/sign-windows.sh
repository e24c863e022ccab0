#!/usr/bin/env bash
# Authenticode-signs one Windows file (.exe or .msi) in place with osslsigncode:
# SHA-256 digest, RFC 3161 timestamp when a timestamp server is set.
#
#   scripts/sign-windows.sh FILE [DESCRIPTION]   sign FILE
#   scripts/sign-windows.sh --check              exit 0 when signing material is
#                                                set, 1 when none is, 2 when it is
#                                                incomplete (and say why)
#
# The signing material comes from the environment, one of:
#   SWITCHBOARD_SIGN_CERT + SWITCHBOARD_SIGN_KEY       PEM certificate (chain) and key
#   SWITCHBOARD_SIGN_PFX                                PKCS#12 file with both
#   SWITCHBOARD_SIGN_PKCS11_MODULE + SWITCHBOARD_SIGN_PKCS11_KEY
#                                                       a key on a token or HSM (the
#                                                       key's pkcs11: URI or id), with
#                                                       SWITCHBOARD_SIGN_CERT (a PEM file)
#                                                       or SWITCHBOARD_SIGN_PKCS11_CERT
#                                                       (the certificate's id on the token);
#                                                       SWITCHBOARD_SIGN_PKCS11_ENGINE names
#                                                       an OpenSSL engine when one is needed
# and optionally:
#   SWITCHBOARD_SIGN_PASSWORD        the key's or PFX's password, or the token PIN
#   SWITCHBOARD_SIGN_TIMESTAMP_URL   RFC 3161 timestamp server, e.g. http://timestamp.digicert.com
#   SWITCHBOARD_SIGN_URL             the "more information" URL shown by Windows
set -euo pipefail

say() { printf '%s\n' "$*" >&2; }

mode() {
  if [[ -n ${SWITCHBOARD_SIGN_PKCS11_MODULE:-} || -n ${SWITCHBOARD_SIGN_PKCS11_KEY:-} ]]; then
    echo pkcs11
  elif [[ -n ${SWITCHBOARD_SIGN_PFX:-} ]]; then
    echo pfx
  elif [[ -n ${SWITCHBOARD_SIGN_CERT:-} || -n ${SWITCHBOARD_SIGN_KEY:-} ]]; then
    echo pem
  else
    echo none
  fi
}

# check says what is wrong with the signing material and fails when it is
# incomplete or names files that are not there.
check() {
  local m
  m=$(mode)
  need_file() {
    [[ -n ${!1:-} ]] || { say "signing: $2 needs $1"; return 2; }
    [[ -r ${!1} ]] || { say "signing: $1=${!1} is not a readable file"; return 2; }
  }
  case $m in
    none) return 1 ;;
    pem)
      need_file SWITCHBOARD_SIGN_CERT "a PEM key" || return 2
      need_file SWITCHBOARD_SIGN_KEY "a PEM certificate" || return 2
      ;;
    pfx) need_file SWITCHBOARD_SIGN_PFX "PKCS#12 signing" || return 2 ;;
    pkcs11)
      need_file SWITCHBOARD_SIGN_PKCS11_MODULE "PKCS#11 signing" || return 2
      [[ -n ${SWITCHBOARD_SIGN_PKCS11_KEY:-} ]] || { say "signing: PKCS#11 signing needs SWITCHBOARD_SIGN_PKCS11_KEY (the key's pkcs11: URI or id)"; return 2; }
      if [[ -z ${SWITCHBOARD_SIGN_PKCS11_CERT:-} ]]; then
        need_file SWITCHBOARD_SIGN_CERT "PKCS#11 signing without SWITCHBOARD_SIGN_PKCS11_CERT" || return 2
      fi
      ;;
  esac
  if [[ -n ${SWITCHBOARD_SIGN_TIMESTAMP_URL:-} && ! ${SWITCHBOARD_SIGN_TIMESTAMP_URL} =~ ^https?:// ]]; then
    say "signing: SWITCHBOARD_SIGN_TIMESTAMP_URL=$SWITCHBOARD_SIGN_TIMESTAMP_URL is not an http(s) URL"
    return 2
  fi
}

if [[ ${1:-} == --check ]]; then
  rc=0
  check || rc=$?
  exit "$rc"
fi

file=${1:?usage: scripts/sign-windows.sh FILE [DESCRIPTION] | --check}
desc=${2:-Switchboard}
[[ -f $file ]] || { say "signing: no file $file"; exit 1; }
rc=0
check || rc=$?
case $rc in
  0) ;;
  1)
    say "signing: no signing material (SWITCHBOARD_SIGN_CERT + SWITCHBOARD_SIGN_KEY, SWITCHBOARD_SIGN_PFX or SWITCHBOARD_SIGN_PKCS11_MODULE + SWITCHBOARD_SIGN_PKCS11_KEY)"
    exit 1
    ;;
  *) exit 2 ;;
esac

args=(sign -h sha256 -n "$desc")
case $(mode) in
  pem) args+=(-certs "$SWITCHBOARD_SIGN_CERT" -key "$SWITCHBOARD_SIGN_KEY") ;;
  pfx) args+=(-pkcs12 "$SWITCHBOARD_SIGN_PFX") ;;
  pkcs11)
    [[ -n ${SWITCHBOARD_SIGN_PKCS11_ENGINE:-} ]] && args+=(-pkcs11engine "$SWITCHBOARD_SIGN_PKCS11_ENGINE")
    args+=(-pkcs11module "$SWITCHBOARD_SIGN_PKCS11_MODULE")
    if [[ -n ${SWITCHBOARD_SIGN_PKCS11_CERT:-} ]]; then
      args+=(-pkcs11cert "$SWITCHBOARD_SIGN_PKCS11_CERT")
    else
      args+=(-certs "$SWITCHBOARD_SIGN_CERT")
    fi
    args+=(-key "$SWITCHBOARD_SIGN_PKCS11_KEY")
    ;;
esac
[[ -n ${SWITCHBOARD_SIGN_URL:-} ]] && args+=(-i "$SWITCHBOARD_SIGN_URL")
[[ -n ${SWITCHBOARD_SIGN_TIMESTAMP_URL:-} ]] && args+=(-ts "$SWITCHBOARD_SIGN_TIMESTAMP_URL")

# The password goes through a pipe, not the command line, where any user could
# read it in the process list.
tmp="$file.signing"
trap 'rm -f "$tmp"' EXIT
rm -f "$tmp"
log=$(
  if [[ -n ${SWITCHBOARD_SIGN_PASSWORD:-} ]]; then
    printf '%s' "$SWITCHBOARD_SIGN_PASSWORD" | osslsigncode "${args[@]}" -readpass - -in "$file" -out "$tmp" 2>&1
  else
    osslsigncode "${args[@]}" -in "$file" -out "$tmp" 2>&1
  fi
) || { say "signing: osslsigncode failed for $file:"; say "$log"; exit 1; }
mv -f "$tmp" "$file"
say "signed $file"
