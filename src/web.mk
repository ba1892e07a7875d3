# src/web.mk -- the web server (issue #9): the router and its page modules
# (src/web*.c), their page templates (templates/web-*.html, in
# templates/local.mk) and static files (www/).  Only the daemon links
# libmicrohttpd.  Included from Makefile.am after src/request.mk:
#   include $(srcdir)/src/web.mk

src_sealistd_SOURCES += src/web.c src/web.h src/web_int.h src/web_public.c
# markup with escaping (any page module, and unit tests of pages)
src_libcore_a_SOURCES += src/html.c src/html.h
# the client behind trusted proxies, percent-decoding: in libcore for the fuzz target
src_libcore_a_SOURCES += src/web_client.c src/web_client.h
check_PROGRAMS += tests/fuzz/replay_web_client
tests_fuzz_replay_web_client_SOURCES = tests/fuzz/fuzz_web_client.c tests/fuzz/replay.c
tests_fuzz_replay_web_client_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/tests/unit -DFUZZ_CORPUS='"tests/fuzz/corpus/web_client"'
tests_fuzz_replay_web_client_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/fuzz/replay_web_client
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_web_client
tests_fuzz_fuzz_web_client_SOURCES = tests/fuzz/fuzz_web_client.c
tests_fuzz_fuzz_web_client_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_web_client_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_web_client_LDADD = $(CORE_LDADD)
endif
# accounts, sessions, /login and /logout (helper A2)
src_sealistd_SOURCES += src/web_auth.c
# ---- B: overview, list page, bounces, keys, queue ----
src_sealistd_SOURCES += src/web_overview.c src/web_bounces.c src/web_keys.c src/web_queue.c \
	src/web_b.h
# ---- end B ----
src_sealistd_CPPFLAGS = $(AM_CPPFLAGS) $(MHD_CFLAGS)
src_sealistd_LDADD += $(MHD_LIBS)

# html_fmt (src/html.c) on its own
check_PROGRAMS += tests/unit/test_html
tests_unit_test_html_SOURCES = tests/unit/test_html.c
tests_unit_test_html_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_html_LDADD = $(CORELIBS) $(TESTLIBS)
TESTS += tests/unit/test_html
# ---- C1: the settings and moderation pages ----
src_sealistd_SOURCES += src/web_settings.c src/web_held.c
src_libcore_a_SOURCES += src/store_c1.c
# ---- end C1 ----
# ---- C2: members page, members CSV shared by the CLI and the web ----
src_libcore_a_SOURCES += src/members_csv.c src/members_csv.h src/store_c2.c
src_sealistd_SOURCES += src/web_members.c
# ---- end C2 ----
# ---- H2: the DMARC report pages; the verdict in words is shared with the CLI ----
src_libcore_a_SOURCES += src/store_dmarcweb.c src/dmarcverdict.c src/dmarcverdict.h \
	src/dmarcwin.c src/dmarcwin.h
src_sealistd_SOURCES += src/web_dmarc.c
# ---- end H2 ----
# ---- H8: the verdict's inputs, gathered for the web page and the CLI alike ----
src_libcore_a_SOURCES += src/dmarcverdict_gather.c src/dmarcverdict_gather.h
# ---- end H8 ----
