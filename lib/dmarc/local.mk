# lib/dmarc: DMARC policy discovery (RFC 9989 tree walk, RFC 7489 PSL),
# alignment and disposition; legacy ADSP (RFC 5617).
noinst_LIBRARIES += lib/dmarc/libdmarc.a
lib_dmarc_libdmarc_a_SOURCES = lib/dmarc/dmarc.h lib/dmarc/dmarc_int.h \
	lib/dmarc/dmarc_record.c lib/dmarc/dmarc_discover.c \
	lib/dmarc/dmarc_eval.c lib/dmarc/dmarc_adsp.c lib/sealist_limits.h
lib_dmarc_libdmarc_a_CPPFLAGS = $(AM_CPPFLAGS) $(PSL_CFLAGS)

DMARC_LDADD = lib/dmarc/libdmarc.a lib/msg/libmsg.a lib/addr/libaddr.a \
	lib/dns/libdns.a lib/buf/libbuf.a $(PSL_LIBS) $(RESOLV_LIBS)

check_PROGRAMS += tests/unit/test_dmarc
tests_unit_test_dmarc_SOURCES = tests/unit/test_dmarc.c
tests_unit_test_dmarc_CPPFLAGS = $(AM_CPPFLAGS) $(PSL_CFLAGS) \
	-I$(top_srcdir)/tests/unit
tests_unit_test_dmarc_LDADD = $(DMARC_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_dmarc

# Evaluates the cases of tests/data/dmarc/cases.txt against a real DNS
# server; driven by tests/e2e/dmarc.sh beside the Python oracle.
check_PROGRAMS += tests/unit/dmarc_tool
tests_unit_dmarc_tool_SOURCES = tests/unit/dmarc_tool.c
tests_unit_dmarc_tool_CPPFLAGS = $(AM_CPPFLAGS) $(PSL_CFLAGS) \
	-I$(top_srcdir)/tests/unit
tests_unit_dmarc_tool_LDADD = $(DMARC_LDADD) $(TESTLIBS)
TESTS += tests/e2e/dmarc.sh
EXTRA_DIST += tests/e2e/dmarc.sh tests/oracle/dmarc_oracle.py \
	tests/data/dmarc/cases.txt tests/fuzz/corpus/dmarc

# The record parser's fuzz target, replayed over its corpus every run.
check_PROGRAMS += tests/fuzz/replay_dmarc
tests_fuzz_replay_dmarc_SOURCES = tests/fuzz/fuzz_dmarc.c tests/fuzz/replay.c
tests_fuzz_replay_dmarc_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/dmarc"'
tests_fuzz_replay_dmarc_LDADD = $(DMARC_LDADD) $(TESTLIBS)
TESTS += tests/fuzz/replay_dmarc

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_dmarc
tests_fuzz_fuzz_dmarc_SOURCES = tests/fuzz/fuzz_dmarc.c
tests_fuzz_fuzz_dmarc_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarc_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarc_LDADD = $(DMARC_LDADD)
endif
