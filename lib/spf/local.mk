# lib/spf: SPF evaluation (RFC 7208), record parser, macros, XFORWARD.
noinst_LIBRARIES += lib/spf/libspf.a
lib_spf_libspf_a_SOURCES = lib/spf/spf.h lib/spf/spf_int.h \
	lib/spf/spf_record.c lib/spf/spf_macro.c lib/spf/spf_eval.c \
	lib/spf/spf_dns.c lib/spf/spf_xforward.c lib/spf/spf_zone.c \
	lib/spf/spf_zone.h lib/sealist_limits.h

check_PROGRAMS += tests/unit/test_spf
tests_unit_test_spf_SOURCES = tests/unit/test_spf.c
tests_unit_test_spf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_spf_LDADD = lib/spf/libspf.a lib/dns/libdns.a \
	lib/buf/libbuf.a $(TESTLIBS) $(RESOLV_LIBS)
TESTS += tests/unit/test_spf

# check_host against a real server, or a zone file in memory; driven by
# tests/e2e/spf.sh (cross-check with pyspf and the openspf suite).
check_PROGRAMS += tests/unit/spf_tool
tests_unit_spf_tool_SOURCES = tests/unit/spf_tool.c
tests_unit_spf_tool_LDADD = lib/spf/libspf.a lib/dns/libdns.a \
	lib/buf/libbuf.a $(RESOLV_LIBS)
TESTS += tests/e2e/spf.sh
EXTRA_DIST += tests/oracle/spf_gen.py tests/oracle/spf_suite.py

check_PROGRAMS += tests/fuzz/replay_spf
tests_fuzz_replay_spf_SOURCES = tests/fuzz/fuzz_spf.c tests/fuzz/replay.c
tests_fuzz_replay_spf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/spf"'
tests_fuzz_replay_spf_LDADD = lib/spf/libspf.a lib/dns/libdns.a \
	lib/buf/libbuf.a $(TESTLIBS) $(RESOLV_LIBS)
TESTS += tests/fuzz/replay_spf

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_spf
tests_fuzz_fuzz_spf_SOURCES = tests/fuzz/fuzz_spf.c
tests_fuzz_fuzz_spf_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_spf_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_spf_LDADD = lib/spf/libspf.a lib/dns/libdns.a \
	lib/buf/libbuf.a $(RESOLV_LIBS)
endif
