# lib/msg: raw RFC 5322 message model (header field list over raw bytes).
noinst_LIBRARIES += lib/msg/libmsg.a
lib_msg_libmsg_a_SOURCES = lib/msg/msg.c lib/msg/msg.h lib/sealist_limits.h

check_PROGRAMS += tests/unit/test_msg
tests_unit_test_msg_SOURCES = tests/unit/test_msg.c
tests_unit_test_msg_LDADD = lib/msg/libmsg.a lib/buf/libbuf.a $(TESTLIBS)
TESTS += tests/unit/test_msg

# The fuzz target replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_msg
tests_fuzz_replay_msg_SOURCES = tests/fuzz/fuzz_msg.c tests/fuzz/replay.c
tests_fuzz_replay_msg_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/msg"'
tests_fuzz_replay_msg_LDADD = lib/msg/libmsg.a lib/buf/libbuf.a $(TESTLIBS)
TESTS += tests/fuzz/replay_msg

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_msg
tests_fuzz_fuzz_msg_SOURCES = tests/fuzz/fuzz_msg.c
tests_fuzz_fuzz_msg_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_msg_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_msg_LDADD = lib/msg/libmsg.a lib/buf/libbuf.a
endif
