#!/bin/sh
# postinstall of the switchboard-server package (build/linux/nfpm-server.yaml):
# dpkg's postinst (configure [OLD-VERSION], abort-*) and rpm's %post (1 on an
# install, 2 or more on an upgrade).
#
# It creates the system user switchboard (systemd-sysusers with the package's
# /usr/lib/sysusers.d/switchboard.conf, else adduser or useradd) and its data
# directory /var/lib/switchboard (mode 0700; the unit's StateDirectory would
# create it at the first start, but the admin commands need it before), and
# lets the service read /etc/switchboard/server.toml (root:switchboard 0640)
# while the file is root:root as the package writes it. On the first install
# it writes the key-encryption key of the data at rest, /etc/switchboard/kek
# (root:switchboard 0640, kek_file in server.toml): apart from the data in
# /var/lib/switchboard and its backups, and never removed, not even by a
# purge, since the data cannot be read without it. Then the service:
#   deb: enabled (deb-systemd-helper, which works without a running systemd,
#        so an image built in a chroot boots with it), started on an install
#        and restarted on an upgrade when systemd runs: what dh_installsystemd
#        does for Debian's own services. The default config listens on
#        127.0.0.1 only.
#   rpm: the systemd preset decides on an install (Fedora and RHEL leave a
#        new service disabled: systemctl enable --now switchboard-server);
#        an upgrade restarts it if it runs: %systemd_post and
#        %systemd_postun_with_restart.
set -e

unit=switchboard-server.service
conf=/etc/switchboard/server.toml
data=/var/lib/switchboard
kek=/etc/switchboard/kek

case $1 in
configure | abort-upgrade | abort-deconfigure | abort-remove) pkg=deb ;;
[0-9]*) pkg=rpm ;;
*) exit 0 ;;
esac

if command -v systemd-sysusers >/dev/null 2>&1; then
	systemd-sysusers switchboard.conf
elif ! getent passwd switchboard >/dev/null; then
	if [ "$pkg" = deb ] && command -v adduser >/dev/null 2>&1; then
		adduser --system --group --quiet --home "$data" --no-create-home \
			--shell /usr/sbin/nologin --gecos "Switchboard messaging server" switchboard
	else
		useradd --system --user-group --home-dir "$data" --no-create-home \
			--shell /usr/sbin/nologin --comment "Switchboard messaging server" switchboard
	fi
fi

if [ ! -d "$data" ]; then
	install -d -o switchboard -g switchboard -m 0700 "$data"
fi

if [ ! -e "$kek" ]; then
	(
		umask 077
		head -c 32 /dev/urandom | base64 >"$kek.new"
	)
	chgrp switchboard "$kek.new"
	chmod 0640 "$kek.new"
	mv "$kek.new" "$kek"
fi

if [ -f "$conf" ] && [ "$(stat -c %u:%g "$conf")" = 0:0 ]; then
	chgrp switchboard "$conf"
	chmod 0640 "$conf"
fi

if [ "$pkg" = deb ]; then
	if command -v deb-systemd-helper >/dev/null 2>&1; then
		deb-systemd-helper unmask "$unit" >/dev/null || true
		# was-enabled is true for a unit it has never seen: an install
		# enables; an upgrade keeps the admin's enable or disable.
		if deb-systemd-helper --quiet was-enabled "$unit"; then
			deb-systemd-helper enable "$unit" >/dev/null || true
		else
			deb-systemd-helper update-state "$unit" >/dev/null || true
		fi
	elif [ -d /run/systemd/system ] && [ -z "$2" ]; then
		systemctl enable "$unit" >/dev/null 2>&1 || true
	fi
	if [ -d /run/systemd/system ]; then
		systemctl --system daemon-reload >/dev/null || true
		if [ -n "$2" ]; then action=restart; else action=start; fi
		if command -v deb-systemd-invoke >/dev/null 2>&1; then
			deb-systemd-invoke "$action" "$unit" >/dev/null || true
		else
			systemctl "$action" "$unit" >/dev/null || true
		fi
	fi
else
	if [ "$1" -eq 1 ]; then
		systemctl --no-reload preset "$unit" >/dev/null 2>&1 || true
	fi
	if [ -d /run/systemd/system ]; then
		systemctl daemon-reload >/dev/null 2>&1 || true
		if [ "$1" -ge 2 ]; then
			systemctl try-restart "$unit" >/dev/null 2>&1 || true
		fi
	fi
fi
exit 0
