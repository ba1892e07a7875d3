# bench/: benchmarks, built by "make bench" and never part of "make check".
EXTRA_PROGRAMS = bench/bench_msg bench/bench_dkim bench/bench_auth bench/bench_outsign \
	bench/bench_queue
bench_bench_msg_SOURCES = bench/bench_msg.c
bench_bench_msg_LDADD = lib/msg/libmsg.a lib/buf/libbuf.a
bench_bench_dkim_SOURCES = bench/bench_dkim.c
bench_bench_dkim_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)
bench_bench_dkim_LDADD = $(LIBSEALIST) $(OPENSSL_LIBS) $(RESOLV_LIBS)
bench_bench_auth_SOURCES = bench/bench_auth.c
bench_bench_auth_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)
bench_bench_auth_LDADD = $(LIBSEALIST) $(OPENSSL_LIBS) $(PSL_LIBS) $(RESOLV_LIBS)
bench_bench_outsign_SOURCES = bench/bench_outsign.c
bench_bench_outsign_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS)
bench_bench_outsign_LDADD = $(CORE_LDADD)
bench_bench_queue_SOURCES = bench/bench_queue.c
bench_bench_queue_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src
bench_bench_queue_LDADD = $(CORE_LDADD)
CLEANFILES += $(EXTRA_PROGRAMS)
EXTRA_DIST += bench/auth.sh bench/lmtp.sh bench/fanout.sh
# bench/web.sh (issue #9): the members page of a 100,000-member list and
# the public list page under wrk
EXTRA_DIST += bench/web.sh

bench: $(EXTRA_PROGRAMS)
	./bench/bench_msg
	./bench/bench_dkim
	./bench/bench_outsign
	./bench/bench_queue
	top_srcdir=$(abs_top_srcdir) top_builddir=$(abs_top_builddir) $(SHELL) $(srcdir)/bench/auth.sh
	top_srcdir=$(abs_top_srcdir) top_builddir=$(abs_top_builddir) $(SHELL) $(srcdir)/bench/lmtp.sh
	top_srcdir=$(abs_top_srcdir) top_builddir=$(abs_top_builddir) $(SHELL) $(srcdir)/bench/fanout.sh
	top_srcdir=$(abs_top_srcdir) top_builddir=$(abs_top_builddir) $(SHELL) $(srcdir)/bench/web.sh
.PHONY: bench
