# doc/: man pages are listed beside the programs they describe (src/local.mk, src/store.mk).
# How to move a list's settings from Mailman 2.1 (sealist config import).
EXTRA_DIST += doc/mailman-migration.md
