#!/bin/sh
# test.sh -- install what is needed, build, and run the whole test suite:
#   1. unit, fuzz-corpus replay and end-to-end tests (-Werror build)
#   2. the unit tests and corpus replays again under valgrind
#   3. everything again under AddressSanitizer + UndefinedBehaviorSanitizer
#   4. each libFuzzer target for a short run (clang build)
#   5. make distcheck
# Ends with the line "N passed, N failed" (TAP test points, plus one per
# build step and per fuzz run); exits non-zero if anything failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
passed=0
failed=0
fuzz_seconds=${SEALIST_FUZZ_SECONDS:-10}

step() { printf '\n=== %s\n' "$*"; }
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# count LOG -- add the automake test-suite summary in LOG to the totals
count() {
	if [ ! -f "$1" ]; then
		fail "no test log $1"
		return
	fi
	p=$(sed -n 's/^# PASS: *\([0-9]*\)$/\1/p' "$1" | head -n 1)
	f=$(sed -n 's/^# \(FAIL\|ERROR\|XPASS\): *\([0-9]*\)$/\2/p' "$1" | awk '{s += $1} END {print s + 0}')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	echo "$1: ${p:-0} passed, ${f:-0} failed"
	[ "${f:-0}" -eq 0 ] || grep -E '^(FAIL|ERROR|XPASS):' "$1" | head -n 40
}

step "installing packages"
if sh scripts/deps.sh test; then pass "packages installed"; else fail "packages installed"; fi

step "build with -Werror"
if sh scripts/build.sh build --enable-werror; then
	pass "build"
	step "unit, corpus replay and end-to-end tests"
	rm -f build/test-suite.log
	(cd build && make -s -j"$(nproc)" check >/dev/null 2>&1)
	count build/test-suite.log

	step "unit tests and corpus replays under valgrind"
	rm -f build/test-suite-valgrind.log
	(cd build && make -s check-valgrind >/dev/null 2>&1)
	count build/test-suite-valgrind.log
else
	fail "build"
fi

step "build with AddressSanitizer + UndefinedBehaviorSanitizer"
if sh scripts/build.sh build-asan --enable-werror --enable-sanitizers; then
	pass "sanitizer build"
	rm -f build-asan/test-suite.log
	# The crash test's 1,000 posts ran in the first pass; here (8x slower
	# under ASan) 400 posts with the same kills check the same code paths.
	(cd build-asan && CRASH_POSTS=400 CRASH_FANOUT_MEMBERS=2000 ASAN_OPTIONS=detect_leaks=1 \
		make -s -j"$(nproc)" check >/dev/null 2>&1)
	count build-asan/test-suite.log
else
	fail "sanitizer build"
fi

step "libFuzzer targets, ${fuzz_seconds}s each, $(nproc) at a time"
# fuzz_one TARGET -- run one target on a copy of its seed corpus; its exit
# status goes to build-fuzz/NAME.rc so the runs can go side by side.
fuzz_one() {
	name=$(basename "$1")
	corpus="build-fuzz/corpus-$name"
	rm -rf "$corpus"; mkdir -p "$corpus"
	cp "tests/fuzz/corpus/${name#fuzz_}/"* "$corpus/" 2>/dev/null
	"$1" -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 \
		-artifact_prefix="build-fuzz/$name-" "$corpus" > "build-fuzz/$name.log" 2>&1
	echo $? > "build-fuzz/$name.rc"
}
if CC=clang sh scripts/build.sh build-fuzz --enable-fuzzers --enable-sanitizers; then
	pass "fuzzer build"
	running=0
	for target in build-fuzz/tests/fuzz/fuzz_*; do
		[ -x "$target" ] || continue
		rm -f "build-fuzz/$(basename "$target").rc"
		fuzz_one "$target" &
		running=$((running + 1))
		if [ "$running" -ge "$(nproc)" ]; then wait; running=0; fi
	done
	wait
	for target in build-fuzz/tests/fuzz/fuzz_*; do
		[ -x "$target" ] || continue
		name=$(basename "$target")
		if [ "$(cat "build-fuzz/$name.rc" 2>/dev/null)" = 0 ]; then
			pass "$name: $(grep -o 'Done [0-9]* runs' "build-fuzz/$name.log" | tail -n 1)"
		else
			fail "$name found a fault; see build-fuzz/$name.log and build-fuzz/$name-*"
			tail -n 30 "build-fuzz/$name.log"
		fi
	done
else
	fail "fuzzer build"
fi

step "make distcheck"
# distcheck proves the tarball builds and passes; the crash test's full
# 1,000 posts ran in the first pass.
if (cd build && CRASH_POSTS=400 CRASH_FANOUT_MEMBERS=2000 make -s -j"$(nproc)" distcheck >distcheck.log 2>&1); then
	pass "distcheck"
else
	fail "distcheck (see build/distcheck.log)"
	tail -n 30 build/distcheck.log
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
