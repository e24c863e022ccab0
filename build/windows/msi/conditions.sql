-- The Policy* components install only when their property is given, and the
-- three properties reach the elevated part of a per-machine install. wixl 0.101
-- takes no Condition inside a Component, so scripts/dist-windows.sh applies these
-- to the MSI it built, one statement a line, with msibuild -q.
UPDATE `Component` SET `Condition` = 'SERVERURL' WHERE `Component` = 'PolicyServerURL'
UPDATE `Component` SET `Condition` = 'LOCKSERVERURL = "1"' WHERE `Component` = 'PolicyLockServerURL'
UPDATE `Component` SET `Condition` = 'DISABLEUPDATES = "1"' WHERE `Component` = 'PolicyDisableUpdates'
UPDATE `Property` SET `Value` = 'WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED;SERVERURL;LOCKSERVERURL;DISABLEUPDATES' WHERE `Property` = 'SecureCustomProperties'
