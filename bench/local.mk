# bench/: benchmarks, built by "make bench" and never part of "make check".
EXTRA_PROGRAMS = bench/bench_msg
bench_bench_msg_SOURCES = bench/bench_msg.c
bench_bench_msg_LDADD = lib/msg/libmsg.a lib/buf/libbuf.a
CLEANFILES += $(EXTRA_PROGRAMS)

bench: $(EXTRA_PROGRAMS)
	./bench/bench_msg
.PHONY: bench
