####
## The Switchboard NSIS installer: per-machine into Program Files\Switchboard,
## with a Start-menu entry, and the machine policy preset from the command line.
##
##   switchboard-setup.exe /S /SERVERURL=https://chat.example.com /LOCKSERVERURL /DISABLEUPDATES /D=C:\Program Files\Switchboard
##
## /S is silent and /D= (last, unquoted) the folder. The three options write,
## only when given, these values under HKLM\Software\Policies\Switchboard:
##   /SERVERURL=URL    ServerURL           REG_SZ (an http:// or https:// URL)
##   /LOCKSERVERURL    LockServerURL       REG_DWORD 1
##   /DISABLEUPDATES   DisableUpdateCheck  REG_DWORD 1
## The uninstaller ("C:\Program Files\Switchboard\uninstall.exe" /S) removes the
## values this installer wrote. Installing over an earlier version without an
## option keeps what the earlier one wrote. A bad option fails with exit code 2
## (a message box when not silent).
##
## `wails build -nsis` builds this file, and wails rewrites wails_tools.nsh (the
## INFO_* defines from wails.json and the wails.* macros) on every such build;
## this file it leaves alone. scripts/dist-windows.sh runs makensis again on the
## signed binary with SWITCHBOARD_SIGN_COMMAND defined, which signs the
## uninstaller and the installer as they are written. By hand:
## > makensis -DARG_WAILS_AMD64_BINARY=..\..\bin\switchboard.exe project.nsi
####

# scripts/test-dist-windows.sh builds a 64-bit installer from this file
# (-DSWITCHBOARD_TARGET=amd64-unicode) to run it under a 64-bit-only Wine; the
# shipped installer is NSIS's usual x86 one.
!ifdef SWITCHBOARD_TARGET
  Target ${SWITCHBOARD_TARGET}
!else
  Unicode true
!endif

!include "wails_tools.nsh"
!include "LogicLib.nsh"

!define POLICY_KEY "Software\Policies\Switchboard"

# The version information for this two must consist of 4 parts
VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"

VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

# Enable HiDPI support. https://nsis.sourceforge.io/Reference/ManifestDPIAware
ManifestDPIAware true

!include "MUI.nsh"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_FINISHPAGE_NOAUTOCLOSE
!define MUI_ABORTWARNING

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_INSTFILES

# The first is the default; Windows in Chinese gets the Chinese pages.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

LangString BadServerURL ${LANG_ENGLISH} "/SERVERURL needs an http:// or https:// URL, e.g. /SERVERURL=https://chat.example.com"
LangString BadServerURL ${LANG_SIMPCHINESE} "/SERVERURL 需要以 http:// 或 https:// 开头的地址，例如 /SERVERURL=https://chat.example.com"
LangString BadFlag ${LANG_ENGLISH} "takes no value (or 1), not"
LangString BadFlag ${LANG_SIMPCHINESE} "不带值（或为 1），而不是"

# Signing: scripts/dist-windows.sh defines SWITCHBOARD_SIGN_COMMAND (a command
# that signs the file named by its argument in place), so the uninstaller is
# signed before it is packed and the installer once it is written.
!ifdef SWITCHBOARD_SIGN_COMMAND
  !uninstfinalize '"${SWITCHBOARD_SIGN_COMMAND}" "%1"' = 0
  !finalize '"${SWITCHBOARD_SIGN_COMMAND}" "%1"' = 0
!endif

Name "${INFO_PRODUCTNAME}"
!ifdef SWITCHBOARD_OUTFILE
  OutFile "${SWITCHBOARD_OUTFILE}"
!else
  OutFile "..\..\bin\${INFO_PROJECTNAME}-${ARCH}-installer.exe"
!endif
!ifdef WAILS_INSTALL_SCOPE
  !if "${WAILS_INSTALL_SCOPE}" == "user"
    InstallDir "$LOCALAPPDATA\Programs\${INFO_PRODUCTNAME}"
  !else
    InstallDir "$PROGRAMFILES64\${INFO_PRODUCTNAME}"
  !endif
!else
  InstallDir "$PROGRAMFILES64\${INFO_PRODUCTNAME}"
!endif
ShowInstDetails show

Var ServerURL
Var LockServerURL
Var DisableUpdates

# FindOption looks for the option named $R1 (e.g. "/SERVERURL", any case) in the
# command line: $R3 is 1 when it is there, $R2 its value after "=", unquoted
# ("" for a bare flag). An option starts after a space or a quote (tools that
# quote each argument whole); a value runs to the next space or quote, or from
# an opening quote to the closing one. Unlike GetOptions' values it may hold
# "/", which every URL does.
Function FindOption
  Push $R4
  Push $R5
  Push $R6
  Push $R7
  Push $R8
  ${GetParameters} $R4
  StrCpy $R4 " $R4 "
  StrLen $R5 $R1
  StrCpy $R2 ""
  StrCpy $R3 ""
  StrCpy $R6 0
  scan:
    StrCpy $R7 $R4 1 $R6
    StrCmp $R7 "" done
    StrCmp $R7 " " +2
    StrCmp $R7 '"' 0 next
    IntOp $R8 $R6 + 1
    StrCpy $R7 $R4 $R5 $R8
    StrCmp $R7 $R1 0 next
    IntOp $R8 $R8 + $R5
    StrCpy $R7 $R4 1 $R8
    StrCmp $R7 " " +2
    StrCmp $R7 '"' 0 +3
      StrCpy $R3 1
      Goto done
    StrCmp $R7 "=" 0 next
    StrCpy $R3 1
    IntOp $R8 $R8 + 1
    StrCpy $R5 " "
    StrCpy $R7 $R4 1 $R8
    StrCmp $R7 '"' 0 +3
      StrCpy $R5 '"'
      IntOp $R8 $R8 + 1
    StrCpy $R6 $R8
    value:
      StrCpy $R7 $R4 1 $R6
      StrCmp $R7 "" +5
      StrCmp $R7 $R5 +4
      StrCmp $R7 '"' +3
      IntOp $R6 $R6 + 1
      Goto value
    IntOp $R6 $R6 - $R8
    StrCpy $R2 $R4 $R6 $R8
    Goto done
  next:
    IntOp $R6 $R6 + 1
    Goto scan
  done:
  Pop $R8
  Pop $R7
  Pop $R6
  Pop $R5
  Pop $R4
FunctionEnd

!macro switchboard.fail MSG
  IfSilent +2
    MessageBox MB_OK|MB_ICONSTOP "${MSG}"
  SetErrorLevel 2
  Quit
!macroend

# switchboard.flag reads a bare option (or NAME=1, as the MSI has it) into
# VAR: "1" when given, else "".
!macro switchboard.flag NAME VAR
  StrCpy $R1 "${NAME}"
  Call FindOption
  StrCpy ${VAR} $R3
  ${If} $R2 != ""
  ${AndIf} $R2 != "1"
    !insertmacro switchboard.fail "${NAME} $(BadFlag) $R2"
  ${EndIf}
!macroend

Function .onInit
  !insertmacro wails.checkArchitecture

  StrCpy $R1 "/SERVERURL"
  Call FindOption
  ${If} $R3 == 1
    # http:// or https:// and then something, in any case.
    StrCpy $0 $R2 8
    StrCpy $1 $R2 7
    StrLen $2 $R2
    StrCpy $3 0
    ${If} $0 == "https://"
      ${If} $2 > 8
        StrCpy $3 1
      ${EndIf}
    ${ElseIf} $1 == "http://"
      ${If} $2 > 7
        StrCpy $3 1
      ${EndIf}
    ${EndIf}
    ${If} $3 != 1
      !insertmacro switchboard.fail "$(BadServerURL)"
    ${EndIf}
    StrCpy $ServerURL $R2
  ${EndIf}
  !insertmacro switchboard.flag "/LOCKSERVERURL" $LockServerURL
  !insertmacro switchboard.flag "/DISABLEUPDATES" $DisableUpdates
FunctionEnd

Section
    !insertmacro wails.setShellContext

    !insertmacro wails.webview2runtime

    SetOutPath $INSTDIR

    !insertmacro wails.files

    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"

    !insertmacro wails.associateFiles
    !insertmacro wails.associateCustomProtocols

    !insertmacro wails.writeUninstaller

    # The machine policy, each value only when its option was given; the
    # uninstall key remembers which, so the uninstaller removes just those.
    SetRegView 64
    ${If} $ServerURL != ""
        WriteRegStr HKLM "${POLICY_KEY}" "ServerURL" $ServerURL
        WriteRegDWORD HKLM "${UNINST_KEY}" "PresetServerURL" 1
    ${EndIf}
    ${If} $LockServerURL == 1
        WriteRegDWORD HKLM "${POLICY_KEY}" "LockServerURL" 1
        WriteRegDWORD HKLM "${UNINST_KEY}" "PresetLockServerURL" 1
    ${EndIf}
    ${If} $DisableUpdates == 1
        WriteRegDWORD HKLM "${POLICY_KEY}" "DisableUpdateCheck" 1
        WriteRegDWORD HKLM "${UNINST_KEY}" "PresetDisableUpdateCheck" 1
    ${EndIf}
SectionEnd

Section "uninstall"
    !insertmacro wails.setShellContext

    SetRegView 64
    ReadRegDWORD $0 HKLM "${UNINST_KEY}" "PresetServerURL"
    ${If} $0 == 1
        DeleteRegValue HKLM "${POLICY_KEY}" "ServerURL"
    ${EndIf}
    ReadRegDWORD $0 HKLM "${UNINST_KEY}" "PresetLockServerURL"
    ${If} $0 == 1
        DeleteRegValue HKLM "${POLICY_KEY}" "LockServerURL"
    ${EndIf}
    ReadRegDWORD $0 HKLM "${UNINST_KEY}" "PresetDisableUpdateCheck"
    ${If} $0 == 1
        DeleteRegValue HKLM "${POLICY_KEY}" "DisableUpdateCheck"
    ${EndIf}
    DeleteRegKey /ifempty HKLM "${POLICY_KEY}"

    # File by file, not RMDir /r: /D= may have named a folder holding more.
    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"

    !insertmacro wails.unassociateFiles
    !insertmacro wails.unassociateCustomProtocols

    !insertmacro wails.deleteUninstaller
    RMDir $INSTDIR
SectionEnd
