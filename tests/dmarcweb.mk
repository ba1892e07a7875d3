# tests/dmarcweb.mk -- the DMARC report page (issue 10, helper H2): the
# verdict in words on its own, then the page and `sealist dmarc-report
# summary` end to end over the scripted week tests/data/dmarc-reports/week
# (the page's sources are in src/web.mk, its template in templates/local.mk).
#   include $(srcdir)/tests/dmarcweb.mk
check_PROGRAMS += tests/unit/test_dmarcverdict
tests_unit_test_dmarcverdict_SOURCES = tests/unit/test_dmarcverdict.c
tests_unit_test_dmarcverdict_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_dmarcverdict_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_dmarcverdict tests/e2e/dmarc_web.sh
# tests/data (with the week) is in EXTRA_DIST already (tests/local.mk)
# the page's query arguments (src/dmarcwin.c): unit test, fuzz replay, fuzzer
check_PROGRAMS += tests/unit/test_dmarcwin tests/fuzz/replay_dmarcwin
tests_unit_test_dmarcwin_SOURCES = tests/unit/test_dmarcwin.c
tests_unit_test_dmarcwin_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_dmarcwin_LDADD = $(CORE_LDADD) $(TESTLIBS)
tests_fuzz_replay_dmarcwin_SOURCES = tests/fuzz/fuzz_dmarcwin.c tests/fuzz/replay.c
tests_fuzz_replay_dmarcwin_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/tests/unit -DFUZZ_CORPUS='"tests/fuzz/corpus/dmarcwin"'
tests_fuzz_replay_dmarcwin_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_dmarcwin tests/fuzz/replay_dmarcwin
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_dmarcwin
tests_fuzz_fuzz_dmarcwin_SOURCES = tests/fuzz/fuzz_dmarcwin.c
tests_fuzz_fuzz_dmarcwin_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarcwin_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarcwin_LDADD = $(CORE_LDADD)
endif
