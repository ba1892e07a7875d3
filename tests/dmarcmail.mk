# tests/dmarcmail.mk -- DMARC aggregate reports received by mail
# (dmarc_report_address, src/dmarcrep_mail.c): the e2e test through the
# real sealistd over LMTP, the unit test of the MIME candidate picker and
# of migration 012, and the picker's fuzz target with its corpus replay.
TESTS += tests/e2e/dmarc_report_mail.sh

check_PROGRAMS += tests/unit/test_dmarcrep_mail
tests_unit_test_dmarcrep_mail_SOURCES = tests/unit/test_dmarcrep_mail.c
tests_unit_test_dmarcrep_mail_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src -I$(top_srcdir)/tests/unit
tests_unit_test_dmarcrep_mail_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_dmarcrep_mail

# The picker's fuzz target, replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_dmarcrep_mail
tests_fuzz_replay_dmarcrep_mail_SOURCES = tests/fuzz/fuzz_dmarcrep_mail.c tests/fuzz/replay.c
tests_fuzz_replay_dmarcrep_mail_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/dmarcrep_mail"'
tests_fuzz_replay_dmarcrep_mail_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/fuzz/replay_dmarcrep_mail

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_dmarcrep_mail
tests_fuzz_fuzz_dmarcrep_mail_SOURCES = tests/fuzz/fuzz_dmarcrep_mail.c
tests_fuzz_fuzz_dmarcrep_mail_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarcrep_mail_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarcrep_mail_LDADD = $(CORE_LDADD)
endif

# Migration 012 (inbox_rcpt rebuilt for the role dmarc-report) on a
# database with rows in it.
check_PROGRAMS += tests/unit/test_migrate_report
tests_unit_test_migrate_report_SOURCES = tests/unit/test_migrate_report.c tests/unit/migdb.c tests/unit/migdb.h
tests_unit_test_migrate_report_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_migrate_report_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_migrate_report
