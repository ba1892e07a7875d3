# lib/auth: the verdict on one inbound message (DKIM, SPF, DMARC, ADSP, ARC).
noinst_LIBRARIES += lib/auth/libauth.a
lib_auth_libauth_a_SOURCES = lib/auth/auth.h lib/auth/auth_int.h \
	lib/auth/auth_check.c lib/auth/auth_dns.c lib/auth/auth_report.c \
	lib/sealist_limits.h
lib_auth_libauth_a_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)

# The CLI (sealist auth check, arc seal|verify) against dnsmasq and the
# authheaders / dkimpy oracles.
TESTS += tests/e2e/auth.sh
