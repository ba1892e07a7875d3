# lib/pyconf: the Python literal files Mailman 2.1's config_list writes --
# parsed as data (never executed) and written back.
noinst_LIBRARIES += lib/pyconf/libpyconf.a
lib_pyconf_libpyconf_a_SOURCES = lib/pyconf/pyconf.h lib/pyconf/pyconf.c \
	lib/pyconf/pyconf_write.c

PYCONF_LDADD = lib/pyconf/libpyconf.a lib/buf/libbuf.a

check_PROGRAMS += tests/unit/test_pyconf
tests_unit_test_pyconf_SOURCES = tests/unit/test_pyconf.c
tests_unit_test_pyconf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_pyconf_LDADD = $(PYCONF_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_pyconf

# The fuzz target, replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_pyconf
tests_fuzz_replay_pyconf_SOURCES = tests/fuzz/fuzz_pyconf.c tests/fuzz/replay.c
tests_fuzz_replay_pyconf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/pyconf"'
tests_fuzz_replay_pyconf_LDADD = $(PYCONF_LDADD) $(TESTLIBS)
TESTS += tests/fuzz/replay_pyconf

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_pyconf
tests_fuzz_fuzz_pyconf_SOURCES = tests/fuzz/fuzz_pyconf.c
tests_fuzz_fuzz_pyconf_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_pyconf_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_pyconf_LDADD = $(PYCONF_LDADD)
endif
