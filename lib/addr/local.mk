# lib/addr: RFC 5322 address lists, addr-spec validation, RFC 2047 words.
noinst_LIBRARIES += lib/addr/libaddr.a
lib_addr_libaddr_a_SOURCES = lib/addr/addr.c lib/addr/addr.h \
	lib/addr/addr_rfc2047.c lib/addr/addr_rfc2047.h lib/addr/addr_spec.c \
	lib/sealist_limits.h

check_PROGRAMS += tests/unit/test_addr
tests_unit_test_addr_SOURCES = tests/unit/test_addr.c
tests_unit_test_addr_LDADD = lib/addr/libaddr.a lib/buf/libbuf.a $(TESTLIBS)
TESTS += tests/unit/test_addr

# The stored corpus replayed in every "make check", libFuzzer or not.
check_PROGRAMS += tests/fuzz/replay_addr
tests_fuzz_replay_addr_SOURCES = tests/fuzz/fuzz_addr.c tests/fuzz/replay.c
tests_fuzz_replay_addr_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/addr"'
tests_fuzz_replay_addr_LDADD = lib/addr/libaddr.a lib/buf/libbuf.a $(TESTLIBS)
TESTS += tests/fuzz/replay_addr

# The libFuzzer program (configure --enable-fuzzers builds every library
# with -fsanitize=fuzzer-no-link, so coverage reaches into them).
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_addr
tests_fuzz_fuzz_addr_SOURCES = tests/fuzz/fuzz_addr.c
tests_fuzz_fuzz_addr_LDADD = lib/addr/libaddr.a lib/buf/libbuf.a
tests_fuzz_fuzz_addr_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_addr_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
