# lib/lmtp: LMTP protocol parsing (RFC 2033 / RFC 5321): command lines,
# ESMTP parameters, paths, and the DATA stream reader.  No sockets.
noinst_LIBRARIES += lib/lmtp/liblmtp.a
lib_lmtp_liblmtp_a_SOURCES = lib/lmtp/lmtp.h lib/lmtp/lmtp_cmd.c \
	lib/lmtp/lmtp_data.c lib/sealist_limits.h

LMTP_LDADD = lib/lmtp/liblmtp.a lib/buf/libbuf.a

check_PROGRAMS += tests/unit/test_lmtp
tests_unit_test_lmtp_SOURCES = tests/unit/test_lmtp.c
tests_unit_test_lmtp_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_lmtp_LDADD = $(LMTP_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_lmtp

# The stored corpora replayed in every "make check", libFuzzer or not.
check_PROGRAMS += tests/fuzz/replay_lmtp_cmd tests/fuzz/replay_lmtp_data
tests_fuzz_replay_lmtp_cmd_SOURCES = tests/fuzz/fuzz_lmtp_cmd.c tests/fuzz/replay.c
tests_fuzz_replay_lmtp_cmd_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/lmtp_cmd"'
tests_fuzz_replay_lmtp_cmd_LDADD = $(LMTP_LDADD) $(TESTLIBS)
tests_fuzz_replay_lmtp_data_SOURCES = tests/fuzz/fuzz_lmtp_data.c tests/fuzz/replay.c
tests_fuzz_replay_lmtp_data_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/lmtp_data"'
tests_fuzz_replay_lmtp_data_LDADD = $(LMTP_LDADD) $(TESTLIBS)
TESTS += tests/fuzz/replay_lmtp_cmd tests/fuzz/replay_lmtp_data

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_lmtp_cmd tests/fuzz/fuzz_lmtp_data
tests_fuzz_fuzz_lmtp_cmd_SOURCES = tests/fuzz/fuzz_lmtp_cmd.c
tests_fuzz_fuzz_lmtp_cmd_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_lmtp_cmd_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_lmtp_cmd_LDADD = $(LMTP_LDADD)
tests_fuzz_fuzz_lmtp_data_SOURCES = tests/fuzz/fuzz_lmtp_data.c
tests_fuzz_fuzz_lmtp_data_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_lmtp_data_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_lmtp_data_LDADD = $(LMTP_LDADD)
endif
