# tests/dmarcauth.mk -- (H5) was a DMARC report mail authentic: migration
# 014 on a database with reports in it, and the store's marks and
# displacement (store_dmarcrep_add_mail).  The end-to-end part is in
# tests/e2e/dmarc_report_mail.sh (tests/dmarcmail.mk).
check_PROGRAMS += tests/unit/test_migrate_auth
tests_unit_test_migrate_auth_SOURCES = tests/unit/test_migrate_auth.c tests/unit/migdb.c tests/unit/migdb.h
tests_unit_test_migrate_auth_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_migrate_auth_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_migrate_auth
