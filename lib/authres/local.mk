# lib/authres: Authentication-Results (RFC 8601) parse and generate, and
# the removal of fields that forge our authserv-id.
noinst_LIBRARIES += lib/authres/libauthres.a
lib_authres_libauthres_a_SOURCES = lib/authres/authres_parse.c \
	lib/authres/authres_gen.c lib/authres/authres_forged.c \
	lib/authres/authres.h lib/authres/authres_lex.h lib/sealist_limits.h

AUTHRES_TEST_LIBS = lib/authres/libauthres.a lib/msg/libmsg.a \
	lib/buf/libbuf.a

check_PROGRAMS += tests/unit/test_authres
tests_unit_test_authres_SOURCES = tests/unit/test_authres.c
tests_unit_test_authres_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_authres_LDADD = $(AUTHRES_TEST_LIBS) $(TESTLIBS)
TESTS += tests/unit/test_authres

# Writes and reads fields for tests/e2e/authres.sh (python3-authres oracle).
check_PROGRAMS += tests/unit/authres_tool
tests_unit_authres_tool_SOURCES = tests/unit/authres_tool.c
tests_unit_authres_tool_LDADD = $(AUTHRES_TEST_LIBS)
TESTS += tests/e2e/authres.sh

# The fuzz target replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_authres
tests_fuzz_replay_authres_SOURCES = tests/fuzz/fuzz_authres.c \
	tests/fuzz/replay.c
tests_fuzz_replay_authres_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/authres"'
tests_fuzz_replay_authres_LDADD = $(AUTHRES_TEST_LIBS) $(TESTLIBS)
TESTS += tests/fuzz/replay_authres

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_authres
tests_fuzz_fuzz_authres_SOURCES = tests/fuzz/fuzz_authres.c
tests_fuzz_fuzz_authres_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_authres_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_authres_LDADD = $(AUTHRES_TEST_LIBS)
endif
