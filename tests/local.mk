# tests/local.mk -- the harness shared by unit, fuzz-replay and e2e tests.
# Each lib/ module registers its own unit test and fuzz target in its
# local.mk; e2e scripts are listed here.

check_LIBRARIES = tests/unit/libtap.a
tests_unit_libtap_a_SOURCES = tests/unit/tap.c tests/unit/tap.h
TESTLIBS = tests/unit/libtap.a

# Data directories are shipped whole.  Test scripts are listed one by one:
# a directory entry would also ship the .log/.trs files a build leaves
# beside them, which then shadow the real runs in "make distcheck".
EXTRA_DIST += tests/data tests/fuzz/corpus tests/lib.sh tests/valgrind.supp tests/tools \
	$(filter %.sh,$(TESTS))
TESTS += tests/style/banned.sh

# The unit tests and fuzz-corpus replays again under valgrind; any error
# or leak makes the program exit 99, which the TAP driver reports.
# tests/valgrind.supp holds suppressions for faults outside our code, each
# with the reason.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect \
	--suppressions=$(abs_top_srcdir)/tests/valgrind.supp
check-valgrind:
	$(MAKE) $(AM_MAKEFLAGS) check \
		TESTS="$(filter tests/unit/% tests/fuzz/%,$(TESTS))" \
		LOG_COMPILER="$(VALGRIND)" TEST_SUITE_LOG=test-suite-valgrind.log
.PHONY: check-valgrind
