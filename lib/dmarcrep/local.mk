# lib/dmarcrep: DMARC aggregate reports -- unpacked (gzip, zip, plain) with
# libarchive and parsed safely with libxml2 into plain C structs.
noinst_LIBRARIES += lib/dmarcrep/libdmarcrep.a
lib_dmarcrep_libdmarcrep_a_SOURCES = lib/dmarcrep/dmarcrep.h lib/dmarcrep/dmarcrep.c
lib_dmarcrep_libdmarcrep_a_CPPFLAGS = $(AM_CPPFLAGS) $(XML2_CFLAGS) $(ARCHIVE_CFLAGS)
# ==== H3: writing reports (dmarcrep_out: RFC 9990 XML, gzip, names, rua=) ====
lib_dmarcrep_libdmarcrep_a_SOURCES += lib/dmarcrep/dmarcrep_out.h lib/dmarcrep/dmarcrep_out.c
lib_dmarcrep_libdmarcrep_a_CPPFLAGS += $(ZLIB_CFLAGS)
# ==== end H3 ====

DMARCREP_LDADD = lib/dmarcrep/libdmarcrep.a lib/buf/libbuf.a $(XML2_LIBS) $(ARCHIVE_LIBS) \
	$(ZLIB_LIBS)

check_PROGRAMS += tests/unit/test_dmarcrep
tests_unit_test_dmarcrep_SOURCES = tests/unit/test_dmarcrep.c
tests_unit_test_dmarcrep_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit $(ZLIB_CFLAGS)
tests_unit_test_dmarcrep_LDADD = $(DMARCREP_LDADD) $(ZLIB_LIBS) $(TESTLIBS)
TESTS += tests/unit/test_dmarcrep

# The fuzz target, replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_dmarcrep
tests_fuzz_replay_dmarcrep_SOURCES = tests/fuzz/fuzz_dmarcrep.c tests/fuzz/replay.c
tests_fuzz_replay_dmarcrep_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/dmarcrep"'
tests_fuzz_replay_dmarcrep_LDADD = $(DMARCREP_LDADD) $(TESTLIBS)
TESTS += tests/fuzz/replay_dmarcrep

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_dmarcrep
tests_fuzz_fuzz_dmarcrep_SOURCES = tests/fuzz/fuzz_dmarcrep.c
tests_fuzz_fuzz_dmarcrep_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarcrep_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarcrep_LDADD = $(DMARCREP_LDADD)
endif

# ==== H3: writing reports, tests ====
# test_dmarcrep_out validates what it writes with xmllint against RFC 9990's
# schema (tests/data/dmarc-aggregate-9990.xsd) and counts it with Python.
check_PROGRAMS += tests/unit/test_dmarcrep_out
tests_unit_test_dmarcrep_out_SOURCES = tests/unit/test_dmarcrep_out.c
tests_unit_test_dmarcrep_out_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_dmarcrep_out_LDADD = $(DMARCREP_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_dmarcrep_out
# ==== end H3 ====

# ==== H3: fuzz targets for rua= and for the writer, replayed over their corpora
# on every "make check" ====
check_PROGRAMS += tests/fuzz/replay_dmarcrep_rua
tests_fuzz_replay_dmarcrep_rua_SOURCES = tests/fuzz/fuzz_dmarcrep_rua.c tests/fuzz/replay.c
tests_fuzz_replay_dmarcrep_rua_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/dmarcrep_rua"'
tests_fuzz_replay_dmarcrep_rua_LDADD = $(DMARCREP_LDADD) $(TESTLIBS)
TESTS += tests/fuzz/replay_dmarcrep_rua
check_PROGRAMS += tests/fuzz/replay_dmarcrep_out
tests_fuzz_replay_dmarcrep_out_SOURCES = tests/fuzz/fuzz_dmarcrep_out.c tests/fuzz/replay.c
tests_fuzz_replay_dmarcrep_out_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/dmarcrep_out"'
tests_fuzz_replay_dmarcrep_out_LDADD = $(DMARCREP_LDADD) $(TESTLIBS)
TESTS += tests/fuzz/replay_dmarcrep_out

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_dmarcrep_out
tests_fuzz_fuzz_dmarcrep_out_SOURCES = tests/fuzz/fuzz_dmarcrep_out.c
tests_fuzz_fuzz_dmarcrep_out_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarcrep_out_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarcrep_out_LDADD = $(DMARCREP_LDADD)
noinst_PROGRAMS += tests/fuzz/fuzz_dmarcrep_rua
tests_fuzz_fuzz_dmarcrep_rua_SOURCES = tests/fuzz/fuzz_dmarcrep_rua.c
tests_fuzz_fuzz_dmarcrep_rua_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarcrep_rua_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dmarcrep_rua_LDADD = $(DMARCREP_LDADD)
endif
# ==== end H3 ====
