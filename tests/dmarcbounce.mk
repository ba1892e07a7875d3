# tests/dmarcbounce.mk -- (H7) bounces of the DMARC reports sealist sends
# (src/dmarcbounce.c, db/016): a report sent through the real sealistd to
# the SMTP sink, DSNs for it made with Python's email package
# (tests/tools/make_dsn.py) and sent back over LMTP.
TESTS += tests/e2e/dmarc_bounce.sh
# the report_id reader: unit test, fuzz replay, fuzzer
check_PROGRAMS += tests/unit/test_dmarcbounce tests/fuzz/replay_dmarcbounce
tests_unit_test_dmarcbounce_SOURCES = tests/unit/test_dmarcbounce.c tests/unit/migdb.c tests/unit/migdb.h
tests_unit_test_dmarcbounce_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src -I$(top_srcdir)/tests/unit
tests_unit_test_dmarcbounce_LDADD = $(CORE_LDADD) $(TESTLIBS)
tests_fuzz_replay_dmarcbounce_SOURCES = tests/fuzz/fuzz_dmarcbounce.c tests/fuzz/replay.c
tests_fuzz_replay_dmarcbounce_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src \
	-I$(top_srcdir)/tests/unit -DFUZZ_CORPUS='"tests/fuzz/corpus/dmarcbounce"'
tests_fuzz_replay_dmarcbounce_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_dmarcbounce tests/fuzz/replay_dmarcbounce
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_dmarcbounce
tests_fuzz_fuzz_dmarcbounce_SOURCES = tests/fuzz/fuzz_dmarcbounce.c
tests_fuzz_fuzz_dmarcbounce_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarcbounce_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarcbounce_LDADD = $(CORE_LDADD)
endif
