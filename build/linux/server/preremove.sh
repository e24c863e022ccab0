#!/bin/sh
# preremove of the switchboard-server package (build/linux/nfpm-server.yaml):
# dpkg's prerm (remove, upgrade, deconfigure, failed-upgrade) and rpm's %preun
# (0 on an erase, 1 or more on an upgrade).
#
# On a removal the service stops (it exits 0 after its graceful shutdown).
# rpm also disables it (%systemd_preun); dpkg keeps the enable state until
# the purge (postremove.sh), so that a remove and a reinstall keep the
# admin's choice, as dh_installsystemd does. An upgrade leaves the service
# running: the postinstall script restarts it with the new binary.
set -e

unit=switchboard-server.service

case $1 in
remove)
	if [ -d /run/systemd/system ]; then
		if command -v deb-systemd-invoke >/dev/null 2>&1; then
			deb-systemd-invoke stop "$unit" >/dev/null || true
		else
			systemctl stop "$unit" >/dev/null 2>&1 || true
		fi
	fi
	;;
0)
	systemctl --no-reload disable "$unit" >/dev/null 2>&1 || true
	if [ -d /run/systemd/system ]; then
		systemctl stop "$unit" >/dev/null 2>&1 || true
	fi
	;;
esac
exit 0
