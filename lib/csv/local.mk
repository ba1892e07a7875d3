# lib/csv: RFC 4180 CSV, a capped reader for untrusted input and a writer
# (member import and export).
noinst_LIBRARIES += lib/csv/libcsv.a
lib_csv_libcsv_a_SOURCES = lib/csv/csv.h lib/csv/csv_read.c lib/csv/csv_write.c

check_PROGRAMS += tests/unit/test_csv
tests_unit_test_csv_SOURCES = tests/unit/test_csv.c
tests_unit_test_csv_LDADD = lib/csv/libcsv.a lib/buf/libbuf.a $(TESTLIBS)
TESTS += tests/unit/test_csv

# The stored corpus replayed in every "make check", libFuzzer or not.
check_PROGRAMS += tests/fuzz/replay_csv
tests_fuzz_replay_csv_SOURCES = tests/fuzz/fuzz_csv.c tests/fuzz/replay.c
tests_fuzz_replay_csv_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/csv"'
tests_fuzz_replay_csv_LDADD = lib/csv/libcsv.a lib/buf/libbuf.a $(TESTLIBS)
TESTS += tests/fuzz/replay_csv

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_csv
tests_fuzz_fuzz_csv_SOURCES = tests/fuzz/fuzz_csv.c
tests_fuzz_fuzz_csv_LDADD = lib/csv/libcsv.a lib/buf/libbuf.a
tests_fuzz_fuzz_csv_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_csv_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
