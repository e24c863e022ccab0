#!/bin/sh
# postremove of the switchboard-server package (build/linux/nfpm-server.yaml):
# dpkg's postrm (remove, purge, upgrade, abort-*, ...) and rpm's %postun (0
# after an erase, 1 or more after an upgrade).
#
# After a removal systemd forgets the unit. A purge (dpkg only) also drops
# the enable state that deb-systemd-helper keeps; dpkg itself deletes
# /etc/switchboard/server.toml. Neither touches /var/lib/switchboard, which
# holds the conversations and the token secret, nor the user switchboard
# that owns it: a new user given its uid would own the data. Delete both by
# hand when the data is no longer needed (docs/operations.md).
set -e

unit=switchboard-server.service

case $1 in
remove | 0)
	if [ -d /run/systemd/system ]; then
		systemctl --system daemon-reload >/dev/null 2>&1 || true
	fi
	;;
purge)
	if command -v deb-systemd-helper >/dev/null 2>&1; then
		deb-systemd-helper purge "$unit" >/dev/null || true
		deb-systemd-helper unmask "$unit" >/dev/null || true
	fi
	;;
esac
exit 0
