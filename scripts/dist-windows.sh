#!/usr/bin/env bash
# The Windows app and its two installers, cross-built and signed here, into dist/
# (or DIST_DIR):
#   switchboard-VERSION-windows-amd64.exe        the app (the binary both install)
#   switchboard-VERSION-windows-amd64-setup.exe  NSIS installer, for people (/S, /D=)
#   switchboard-VERSION-windows-amd64.msi        MSI, for IT tools (msiexec /qn)
# Both install per-machine into Program Files\Switchboard with a Start-menu entry
# and preset the machine policy from their options (SERVERURL=, LOCKSERVERURL=1,
# DISABLEUPDATES=1; /SERVERURL=, /LOCKSERVERURL, /DISABLEUPDATES).
#
# Signing (Authenticode, SHA-256): the app, the NSIS uninstaller and installer and
# the MSI, with the material scripts/sign-windows.sh reads from the environment.
# With none, they are signed with a development certificate made here once
# (build/dev-signing/, self-signed, not trusted by Windows) and this says so
# loudly; SWITCHBOARD_SIGN_REQUIRED=1 (release builds) makes missing material an
# error instead. The signatures are checked with osslsigncode verify against the
# development certificate, or SWITCHBOARD_SIGN_CA_FILE when set.
#
# The app is built with -webview2 error: on a machine without the WebView2
# Runtime it tells the user to ask their administrator instead of fetching an
# installer. The NSIS installer still installs the runtime when it is missing
# (online); the MSI expects it there (Windows 11 and current Windows 10 have it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=${1:-$(tr -d '[:space:]' <VERSION)}

say() { printf '==> %s\n' "$*"; }
die() { printf 'dist-windows: %s\n' "$*" >&2; exit 1; }

scripts/set-version.sh --check
[[ $version == "$(tr -d '[:space:]' <VERSION)" ]] || die "version $version is not VERSION's ($(cat VERSION)); set it with scripts/set-version.sh"
for tool in makensis wixl msibuild osslsigncode sha1sum; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/deps.sh installs it)"
done
[[ -f frontend/dist/index.html ]] || die "frontend/dist is not built (make frontend)"

dev_ca=
rc=0
scripts/sign-windows.sh --check || rc=$?
dev_note="the Windows app and installers are signed with a DEVELOPMENT certificate that Windows does not trust: for a release set SWITCHBOARD_SIGN_CERT + SWITCHBOARD_SIGN_KEY, SWITCHBOARD_SIGN_PFX (+ SWITCHBOARD_SIGN_PASSWORD) or SWITCHBOARD_SIGN_PKCS11_MODULE + SWITCHBOARD_SIGN_PKCS11_KEY (docs/deployment.md)"
case $rc in
  0) ;;
  1)
    [[ ${SWITCHBOARD_SIGN_REQUIRED:-} == 1 ]] && die "SWITCHBOARD_SIGN_REQUIRED=1 but no signing material is set"
    dev=build/dev-signing
    if [[ ! -s $dev/cert.pem || ! -s $dev/key.pem ]]; then
      say "making a development code-signing certificate in $dev"
      mkdir -p "$dev"
      openssl req -x509 -newkey rsa:3072 -sha256 -days 825 -nodes -keyout "$dev/key.pem" -out "$dev/cert.pem" \
        -subj "/O=Switchboard/CN=Switchboard development build (not for distribution)" \
        -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" 2>/dev/null ||
        die "openssl could not make the development certificate"
      chmod 600 "$dev/key.pem"
    fi
    export SWITCHBOARD_SIGN_CERT=$root/$dev/cert.pem SWITCHBOARD_SIGN_KEY=$root/$dev/key.pem
    unset SWITCHBOARD_SIGN_PFX SWITCHBOARD_SIGN_PKCS11_MODULE SWITCHBOARD_SIGN_PKCS11_KEY SWITCHBOARD_SIGN_PASSWORD
    dev_ca=$root/$dev/cert.pem
    say "WARNING: $dev_note"
    ;;
  *) die "the signing material is incomplete (see above)" ;;
esac
sign() { scripts/sign-windows.sh "$@"; }

exe=build/bin/switchboard.exe
setup=build/bin/switchboard-amd64-installer.exe
rm -f "$exe" "$setup" build/bin/switchboard.msi

say "cross-building the Windows app $version (wails, -webview2 error)"
# -nsis also rewrites build/windows/installer/wails_tools.nsh from wails.json and
# fetches the WebView2 bootstrapper; its installer holds the unsigned app and is
# built again below.
go tool wails build -s -skipbindings -m -nosyncgomod -platform windows/amd64 -webview2 error -nsis \
  -ldflags "-X switchboard/internal/buildinfo.Version=$version" >/dev/null
[[ -s $exe ]] || die "wails built no $exe"
# wails only warns when makensis is missing: check that the installer exists.
[[ -s $setup ]] || die "no installer at $setup (is nsis installed?)"
sign "$exe" "Switchboard"

say "building the NSIS installer around the app"
rm -f "$setup"
nsis=(-V2 -DARG_WAILS_AMD64_BINARY="$root/$exe")
nsis+=(-DSWITCHBOARD_SIGN_COMMAND="$root/scripts/sign-windows.sh")
log=$(cd build/windows/installer && makensis "${nsis[@]}" project.nsi 2>&1) || die "makensis failed:"$'\n'"$log"
[[ -s $setup ]] || die "makensis wrote no $setup"$'\n'"$log"
grep '^signed ' <<<"$log" >&2 || true # the uninstaller (a makensis temp file) and the installer

say "building the MSI (wixl)"
msi=build/bin/switchboard.msi
product_code=$(scripts/build-msi.sh "$version" "$exe" "$msi")
sign "$msi" "Switchboard $version installer"
upgrade_code=$(sed -n 's/.*UpgradeCode="\([0-9A-Fa-f-]*\)".*/\1/p' build/windows/msi/switchboard.wxs)

out=${DIST_DIR:-dist}
mkdir -p "$out"
base=$out/switchboard-$version-windows-amd64
cp "$exe" "$base.exe"
cp "$setup" "$base-setup.exe"
cp "$msi" "$base.msi"
say "MSI ProductCode $product_code, UpgradeCode {$upgrade_code}"
# Check the signatures against the development certificate, or against
# SWITCHBOARD_SIGN_CA_FILE (the chain of real material) when it is set.
ca=${dev_ca:-${SWITCHBOARD_SIGN_CA_FILE:-}}
if [[ -n $ca ]]; then
  for f in "$base.exe" "$base-setup.exe" "$base.msi"; do
    osslsigncode verify -CAfile "$ca" -in "$f" >"$out/.verify.log" 2>&1 ||
      { cat "$out/.verify.log" >&2; rm -f "$out/.verify.log"; die "the signature of $f does not verify against $ca"; }
  done
  rm -f "$out/.verify.log"
  say "signatures verified against $ca"
fi
say "signed $base.exe, $base-setup.exe (and its uninstaller), $base.msi"
[[ -z $dev_ca ]] || say "WARNING: $dev_note"
