# lib/auth: the verdict on one inbound message (DKIM, SPF, DMARC, ADSP, ARC).
noinst_LIBRARIES += lib/auth/libauth.a
lib_auth_libauth_a_SOURCES = lib/auth/auth.h lib/auth/auth_int.h \
	lib/auth/auth_check.c lib/auth/auth_dns.c lib/auth/auth_report.c \
	lib/sealist_limits.h
lib_auth_libauth_a_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)

# The CLI (sealist auth check, arc seal|verify) against dnsmasq and the
# authheaders / dkimpy oracles.
TESTS += tests/e2e/auth.sh

check_PROGRAMS += tests/unit/test_auth
tests_unit_test_auth_SOURCES = tests/unit/test_auth.c
tests_unit_test_auth_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_auth_LDADD = $(LIBSEALIST) $(TESTLIBS) $(OPENSSL_LIBS) $(PSL_LIBS) $(RESOLV_LIBS)
TESTS += tests/unit/test_auth
