# lib/dsn: bounces -- VERP tags, RFC 3464 delivery status notifications,
# the common non-DSN formats, and hard / soft / DMARC-caused classes.
noinst_LIBRARIES += lib/dsn/libdsn.a
lib_dsn_libdsn_a_SOURCES = lib/dsn/dsn.h lib/dsn/dsn_int.h \
	lib/dsn/dsn_util.c lib/dsn/dsn_verp.c lib/dsn/dsn_classify.c \
	lib/dsn/dsn_fields.c lib/dsn/dsn_text.c lib/dsn/dsn_parse.c \
	lib/sealist_limits.h

DSN_LDADD = lib/dsn/libdsn.a lib/mime/libmime.a lib/msg/libmsg.a \
	lib/buf/libbuf.a

check_PROGRAMS += tests/unit/test_dsn
tests_unit_test_dsn_SOURCES = tests/unit/test_dsn.c
tests_unit_test_dsn_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_dsn_LDADD = $(DSN_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_dsn

# The fuzz target, replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_dsn
tests_fuzz_replay_dsn_SOURCES = tests/fuzz/fuzz_dsn.c tests/fuzz/replay.c
tests_fuzz_replay_dsn_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/dsn"'
tests_fuzz_replay_dsn_LDADD = $(DSN_LDADD) $(TESTLIBS)
TESTS += tests/fuzz/replay_dsn

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_dsn
tests_fuzz_fuzz_dsn_SOURCES = tests/fuzz/fuzz_dsn.c
tests_fuzz_fuzz_dsn_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dsn_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dsn_LDADD = $(DSN_LDADD)
endif
