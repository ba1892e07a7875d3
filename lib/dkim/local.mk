# lib/dkim: DKIM sign and verify (RFC 6376, 8301, 8463).
noinst_LIBRARIES += lib/dkim/libdkim.a
lib_dkim_libdkim_a_SOURCES = lib/dkim/dkim.h lib/dkim/dkim_int.h \
	lib/dkim/dkim_tag.c lib/dkim/dkim_b64.c lib/dkim/dkim_canon.c \
	lib/dkim/dkim_sig.c lib/dkim/dkim_key.c lib/dkim/dkim_sign.c \
	lib/dkim/dkim_verify.c lib/dkim/dkim_key_cache.c lib/sealist_limits.h
lib_dkim_libdkim_a_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)

# Unit tests: one file per job of the module.
DKIM_TEST_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) -I$(top_srcdir)/tests/unit
DKIM_TEST_LDADD = lib/dkim/libdkim.a lib/msg/libmsg.a lib/dns/libdns.a \
	lib/buf/libbuf.a $(TESTLIBS) $(OPENSSL_LIBS) $(RESOLV_LIBS)

check_PROGRAMS += tests/unit/test_dkim_tag
tests_unit_test_dkim_tag_SOURCES = tests/unit/test_dkim_tag.c
tests_unit_test_dkim_tag_CPPFLAGS = $(DKIM_TEST_CPPFLAGS)
tests_unit_test_dkim_tag_LDADD = $(DKIM_TEST_LDADD)
TESTS += tests/unit/test_dkim_tag

check_PROGRAMS += tests/unit/test_dkim_canon
tests_unit_test_dkim_canon_SOURCES = tests/unit/test_dkim_canon.c
tests_unit_test_dkim_canon_CPPFLAGS = $(DKIM_TEST_CPPFLAGS)
tests_unit_test_dkim_canon_LDADD = $(DKIM_TEST_LDADD)
TESTS += tests/unit/test_dkim_canon

check_PROGRAMS += tests/unit/test_dkim_sig
tests_unit_test_dkim_sig_SOURCES = tests/unit/test_dkim_sig.c
tests_unit_test_dkim_sig_CPPFLAGS = $(DKIM_TEST_CPPFLAGS)
tests_unit_test_dkim_sig_LDADD = $(DKIM_TEST_LDADD)
TESTS += tests/unit/test_dkim_sig

check_PROGRAMS += tests/unit/test_dkim_key
tests_unit_test_dkim_key_SOURCES = tests/unit/test_dkim_key.c
tests_unit_test_dkim_key_CPPFLAGS = $(DKIM_TEST_CPPFLAGS)
tests_unit_test_dkim_key_LDADD = $(DKIM_TEST_LDADD)
TESTS += tests/unit/test_dkim_key

check_PROGRAMS += tests/unit/test_dkim_sign_verify
tests_unit_test_dkim_sign_verify_SOURCES = tests/unit/test_dkim_sign_verify.c
tests_unit_test_dkim_sign_verify_CPPFLAGS = $(DKIM_TEST_CPPFLAGS)
tests_unit_test_dkim_sign_verify_LDADD = $(DKIM_TEST_LDADD)
TESTS += tests/unit/test_dkim_sign_verify

check_PROGRAMS += tests/unit/test_dkim_keycache
tests_unit_test_dkim_keycache_SOURCES = tests/unit/test_dkim_keycache.c
tests_unit_test_dkim_keycache_CPPFLAGS = $(DKIM_TEST_CPPFLAGS)
tests_unit_test_dkim_keycache_LDADD = $(DKIM_TEST_LDADD)
TESTS += tests/unit/test_dkim_keycache

# The fuzz target replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_dkim_tag
tests_fuzz_replay_dkim_tag_SOURCES = tests/fuzz/fuzz_dkim_tag.c tests/fuzz/replay.c
tests_fuzz_replay_dkim_tag_CPPFLAGS = $(DKIM_TEST_CPPFLAGS) \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/dkim_tag"'
tests_fuzz_replay_dkim_tag_LDADD = $(DKIM_TEST_LDADD)
TESTS += tests/fuzz/replay_dkim_tag

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_dkim_tag
tests_fuzz_fuzz_dkim_tag_SOURCES = tests/fuzz/fuzz_dkim_tag.c
tests_fuzz_fuzz_dkim_tag_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)
tests_fuzz_fuzz_dkim_tag_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dkim_tag_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dkim_tag_LDADD = lib/dkim/libdkim.a lib/msg/libmsg.a \
	lib/dns/libdns.a lib/buf/libbuf.a $(OPENSSL_LIBS) $(RESOLV_LIBS)
endif

# The fuzz target replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_dkim_sig
tests_fuzz_replay_dkim_sig_SOURCES = tests/fuzz/fuzz_dkim_sig.c tests/fuzz/replay.c
tests_fuzz_replay_dkim_sig_CPPFLAGS = $(DKIM_TEST_CPPFLAGS) \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/dkim_sig"'
tests_fuzz_replay_dkim_sig_LDADD = $(DKIM_TEST_LDADD)
TESTS += tests/fuzz/replay_dkim_sig

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_dkim_sig
tests_fuzz_fuzz_dkim_sig_SOURCES = tests/fuzz/fuzz_dkim_sig.c
tests_fuzz_fuzz_dkim_sig_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)
tests_fuzz_fuzz_dkim_sig_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dkim_sig_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dkim_sig_LDADD = lib/dkim/libdkim.a lib/msg/libmsg.a \
	lib/dns/libdns.a lib/buf/libbuf.a $(OPENSSL_LIBS) $(RESOLV_LIBS)
endif

# The fuzz target replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_dkim_key
tests_fuzz_replay_dkim_key_SOURCES = tests/fuzz/fuzz_dkim_key.c tests/fuzz/replay.c
tests_fuzz_replay_dkim_key_CPPFLAGS = $(DKIM_TEST_CPPFLAGS) \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/dkim_key"'
tests_fuzz_replay_dkim_key_LDADD = $(DKIM_TEST_LDADD)
TESTS += tests/fuzz/replay_dkim_key

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_dkim_key
tests_fuzz_fuzz_dkim_key_SOURCES = tests/fuzz/fuzz_dkim_key.c
tests_fuzz_fuzz_dkim_key_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)
tests_fuzz_fuzz_dkim_key_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dkim_key_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dkim_key_LDADD = lib/dkim/libdkim.a lib/msg/libmsg.a \
	lib/dns/libdns.a lib/buf/libbuf.a $(OPENSSL_LIBS) $(RESOLV_LIBS)
endif
