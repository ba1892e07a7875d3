# lib/dns: TXT/A/AAAA/MX/PTR lookups over glibc's resolver, the reply
# parser and the per-resolver cache.
noinst_LIBRARIES += lib/dns/libdns.a
lib_dns_libdns_a_SOURCES = lib/dns/dns.c lib/dns/dns_parse.c \
	lib/dns/dns_cache.c lib/dns/dns.h lib/sealist_limits.h

check_PROGRAMS += tests/unit/test_dns_parse
tests_unit_test_dns_parse_SOURCES = tests/unit/test_dns_parse.c
tests_unit_test_dns_parse_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_dns_parse_LDADD = lib/dns/libdns.a lib/buf/libbuf.a \
	$(TESTLIBS) $(RESOLV_LIBS)
TESTS += tests/unit/test_dns_parse

# The parser's TTLs and the cache's store, policy and resolver switches.
check_PROGRAMS += tests/unit/test_dns_cache
tests_unit_test_dns_cache_SOURCES = tests/unit/test_dns_cache.c
tests_unit_test_dns_cache_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_dns_cache_LDADD = lib/dns/libdns.a lib/buf/libbuf.a \
	$(TESTLIBS) $(RESOLV_LIBS)
TESTS += tests/unit/test_dns_cache

# Looks names up against a real server; driven by tests/e2e/dns.sh.
check_PROGRAMS += tests/unit/dns_lookup_tool
tests_unit_dns_lookup_tool_SOURCES = tests/unit/dns_lookup_tool.c
tests_unit_dns_lookup_tool_LDADD = lib/dns/libdns.a lib/buf/libbuf.a \
	$(RESOLV_LIBS)
TESTS += tests/e2e/dns.sh

# Asks a sequence of questions through one caching resolver; driven by
# tests/e2e/dns_cache.sh.
check_PROGRAMS += tests/unit/dns_cache_tool
tests_unit_dns_cache_tool_SOURCES = tests/unit/dns_cache_tool.c
tests_unit_dns_cache_tool_LDADD = lib/dns/libdns.a lib/buf/libbuf.a \
	$(RESOLV_LIBS)
TESTS += tests/e2e/dns_cache.sh

# The fuzz target replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_dns
tests_fuzz_replay_dns_SOURCES = tests/fuzz/fuzz_dns.c tests/fuzz/replay.c
tests_fuzz_replay_dns_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/dns"'
tests_fuzz_replay_dns_LDADD = lib/dns/libdns.a lib/buf/libbuf.a \
	$(TESTLIBS) $(RESOLV_LIBS)
TESTS += tests/fuzz/replay_dns

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_dns
tests_fuzz_fuzz_dns_SOURCES = tests/fuzz/fuzz_dns.c
tests_fuzz_fuzz_dns_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dns_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_dns_LDADD = lib/dns/libdns.a lib/buf/libbuf.a $(RESOLV_LIBS)
endif
