# tests/local.mk -- the harness shared by unit, fuzz-replay and e2e tests.
# Each lib/ module registers its own unit test and fuzz target in its
# local.mk; e2e scripts are listed here.

check_LIBRARIES = tests/unit/libtap.a
tests_unit_libtap_a_SOURCES = tests/unit/tap.c tests/unit/tap.h
TESTLIBS = tests/unit/libtap.a

EXTRA_DIST += tests/data tests/e2e tests/fuzz/corpus tests/run tests/lib.sh
