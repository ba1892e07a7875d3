# src/reqparse.mk -- the commands in a mail to LIST-request@ (src/reqparse.c),
# its table-driven test over tests/data/requests and its fuzz target.
# Included from Makefile.am after src/bounce.mk:
#   include $(srcdir)/src/reqparse.mk

src_libcore_a_SOURCES += src/reqparse.c src/reqparse.h

check_PROGRAMS += tests/unit/test_reqparse
tests_unit_test_reqparse_SOURCES = tests/unit/test_reqparse.c
tests_unit_test_reqparse_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_reqparse_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_reqparse

# The fuzz target, replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_reqparse
tests_fuzz_replay_reqparse_SOURCES = tests/fuzz/fuzz_reqparse.c tests/fuzz/replay.c
tests_fuzz_replay_reqparse_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/tests/unit -DFUZZ_CORPUS='"tests/fuzz/corpus/reqparse"'
tests_fuzz_replay_reqparse_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/fuzz/replay_reqparse

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_reqparse
tests_fuzz_fuzz_reqparse_SOURCES = tests/fuzz/fuzz_reqparse.c

tests_fuzz_fuzz_reqparse_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_reqparse_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_reqparse_LDADD = $(CORE_LDADD)
endif
