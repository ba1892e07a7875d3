# lib/arc: ARC validation and sealing (RFC 8617) on top of lib/dkim.
noinst_LIBRARIES += lib/arc/libarc.a
lib_arc_libarc_a_SOURCES = lib/arc/arc.h lib/arc/arc_int.h \
	lib/arc/arc_parse.c lib/arc/arc_validate.c lib/arc/arc_seal.c \
	lib/sealist_limits.h
lib_arc_libarc_a_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)

ARC_TEST_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) -I$(top_srcdir)/tests/unit
ARC_TEST_LDADD = lib/arc/libarc.a lib/dkim/libdkim.a lib/msg/libmsg.a \
	lib/dns/libdns.a lib/buf/libbuf.a $(TESTLIBS) $(OPENSSL_LIBS) \
	$(RESOLV_LIBS)

check_PROGRAMS += tests/unit/test_arc
tests_unit_test_arc_SOURCES = tests/unit/test_arc.c
tests_unit_test_arc_CPPFLAGS = $(ARC_TEST_CPPFLAGS)
tests_unit_test_arc_LDADD = $(ARC_TEST_LDADD)
TESTS += tests/unit/test_arc

check_PROGRAMS += tests/unit/test_dkim_arc_support
tests_unit_test_dkim_arc_support_SOURCES = tests/unit/test_dkim_arc_support.c
tests_unit_test_dkim_arc_support_CPPFLAGS = $(ARC_TEST_CPPFLAGS)
tests_unit_test_dkim_arc_support_LDADD = $(ARC_TEST_LDADD)
TESTS += tests/unit/test_dkim_arc_support

# Validates and seals files; driven by the two e2e scripts below.
check_PROGRAMS += tests/unit/arc_tool
tests_unit_arc_tool_SOURCES = tests/unit/arc_tool.c
tests_unit_arc_tool_CPPFLAGS = $(ARC_TEST_CPPFLAGS)
tests_unit_arc_tool_LDADD = $(ARC_TEST_LDADD)
TESTS += tests/e2e/arc_suite.sh tests/e2e/arc_seal.sh

# The fuzz target replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_arc
tests_fuzz_replay_arc_SOURCES = tests/fuzz/fuzz_arc.c tests/fuzz/replay.c
tests_fuzz_replay_arc_CPPFLAGS = $(ARC_TEST_CPPFLAGS) \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/arc"'
tests_fuzz_replay_arc_LDADD = $(ARC_TEST_LDADD)
TESTS += tests/fuzz/replay_arc

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_arc
tests_fuzz_fuzz_arc_SOURCES = tests/fuzz/fuzz_arc.c
tests_fuzz_fuzz_arc_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)
tests_fuzz_fuzz_arc_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_arc_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_arc_LDADD = lib/arc/libarc.a lib/dkim/libdkim.a \
	lib/msg/libmsg.a lib/dns/libdns.a lib/buf/libbuf.a $(OPENSSL_LIBS) \
	$(RESOLV_LIBS)
endif
