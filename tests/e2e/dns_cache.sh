#!/bin/sh
# dns_cache.sh -- lib/dns's cache against real DNS servers (dnsmasq) on
# loopback.  tests/unit/dns_cache_tool asks a sequence of questions
# through one caching resolver and says per answer whether it came from
# the cache; dnsmasq's query log says what reached the server, which is
# the proof.  Covered: a repeated question is asked once; a 1 s TTL
# expires; TTL 0 is never cached; NXDOMAIN and NODATA with an SOA (from
# dnsmasq's authoritative mode) are cached for the SOA's time, capped by
# LIMIT_DNS_NEGATIVE_TTL, and without one are not; SERVFAIL, REFUSED
# and timeouts are never cached; max_entries evicts the least recently
# used; a cached answer outlives its server until it expires.  "-f"
# runs use the tool's fake clock to cross long TTLs without waiting.
# A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
tool="$top_builddir/tests/unit/dns_cache_tool"

dnsmasq=$(command -v dnsmasq || ls /usr/sbin/dnsmasq 2>/dev/null)
if [ -z "$dnsmasq" ]; then
	not_ok "dnsmasq (Debian package dnsmasq-base) is installed"
	tap_done
	exit 1
fi
check "cache tool is built" [ -x "$tool" ]

# asked LOG WHAT NAME N -- the server logged exactly N queries "WHAT NAME"
# (WHAT like "[TXT]"; dnsmasq logs "query[TXT] name from ..." and, when
# authoritative, "auth[TXT] name from ...").  It logs asynchronously, so
# wait for N, then a moment more to see that no further one comes.
# Names are logged in the case sent, so compare without case.
queries() { grep -ciF "$2 $3 from" "$scratch/$1.log"; }
asked() {
	log=$1 what=$2 qname=$3 want=$4
	i=0
	while [ "$(queries "$log" "$what" "$qname")" -lt "$want" ] && [ $i -lt 30 ]; do
		sleep 0.1; i=$((i + 1))
	done
	sleep 0.3
	got=$(queries "$log" "$what" "$qname")
	check "... the server saw $want $what $qname (saw $got)" [ "$got" -eq "$want" ]
}

# run WANT ARGS... -- the tool's output must be exactly WANT
run() {
	want=$1; shift
	got=$("$tool" "$@" 2>"$scratch/err")
	if [ "$got" = "$want" ]; then
		ok "$*"
	else
		not_ok "$*"
		diag "want: $(echo "$want" | tr '\n' '|')"
		diag " got: $(echo "$got" | tr '\n' '|') $(tr '\n' '|' <"$scratch/err")"
	fi
}

# 1. Positive answers from a recursive-style server: --local-ttl sets the
# TTL of dnsmasq's own records (0 unless given).
check "dnsmasq with TTL 60 starts" dnsmasq_start ttl60 --local=/test/ \
	--local-ttl=60 --txt-record=k.test,key --txt-record=mixed.test,case \
	--host-record=h1.test,192.0.2.1 --host-record=h2.test,192.0.2.2 \
	--host-record=h3.test,192.0.2.3 --mx-host=test,mail.test,10
ns60="127.0.0.1:$port"

run 'txt k.test ok miss "key"
txt k.test ok hit "key"
stats hits=1 misses=1 entries=1' -s "$ns60" txt:k.test txt:k.test stats
asked ttl60 "[TXT]" k.test 1

run 'txt Mixed.TEST. ok miss "case"
txt mixed.test ok hit "case"
mx test ok miss 10/mail.test
mx test ok hit 10/mail.test' -s "$ns60" txt:Mixed.TEST. txt:mixed.test mx:test mx:test
asked ttl60 "[TXT]" mixed.test 1

# NXDOMAIN from --local=/test/ carries no SOA: RFC 2308 section 5 says do
# not cache it, so both questions reach the server.
run 'txt nothere.test nxdomain miss
txt nothere.test nxdomain miss
stats hits=0 misses=2 entries=0' -s "$ns60" txt:nothere.test txt:nothere.test stats
asked ttl60 "[TXT]" nothere.test 2

# Past max_ttl (-m 30), on the fake clock: kept 30 s although the TTL is 60.
run 'a h1.test ok miss 192.0.2.1
a h1.test ok hit 192.0.2.1
a h1.test ok miss 192.0.2.1' -f -m 30 -s "$ns60" a:h1.test advance:29 a:h1.test advance:1 a:h1.test
asked ttl60 "[A]" h1.test 2

# max_entries 2, least recently used out: h2 h3 h2(hit) then h1 evicts
# h3, the least recently used; h2 stays.
run 'a h2.test ok miss 192.0.2.2
a h3.test ok miss 192.0.2.3
a h2.test ok hit 192.0.2.2
a h1.test ok miss 192.0.2.1
a h2.test ok hit 192.0.2.2
a h3.test ok miss 192.0.2.3
stats hits=2 misses=4 entries=2' -n 2 -s "$ns60" a:h2.test a:h3.test a:h2.test \
	a:h1.test a:h2.test a:h3.test stats
asked ttl60 "[A]" h2.test 1
asked ttl60 "[A]" h3.test 2

# 2. A 1 s TTL: kept for that second (fake clock), and asked again 2 s
# later on the real clock.
check "dnsmasq with TTL 1 starts" dnsmasq_start ttl1 --local=/test/ \
	--local-ttl=1 --txt-record=s.test,short --txt-record=r.test,real
ns1="127.0.0.1:$port"
run 'txt s.test ok miss "short"
txt s.test ok hit "short"
txt s.test ok miss "short"' -f -s "$ns1" txt:s.test txt:s.test advance:1 txt:s.test
asked ttl1 "[TXT]" s.test 2
run 'txt r.test ok miss "real"
txt r.test ok miss "real"' -s "$ns1" txt:r.test sleep:2 txt:r.test
asked ttl1 "[TXT]" r.test 2

# 3. TTL 0 (dnsmasq's default for its own records): never cached.
check "dnsmasq with TTL 0 starts" dnsmasq_start ttl0 --local=/test/ \
	--txt-record=z.test,zero
run 'txt z.test ok miss "zero"
txt z.test ok miss "zero"
txt z.test ok miss "zero"
stats hits=0 misses=3 entries=0' -s "127.0.0.1:$port" txt:z.test txt:z.test txt:z.test stats
asked ttl0 "[TXT]" z.test 3

# 4. Negative answers with an SOA.  dnsmasq gives one only where it is
# authoritative (--auth-zone, with --auth-server naming the address it
# listens on; --local=/zone/ answers NXDOMAIN without an SOA).  There
# --auth-ttl sets both the SOA's TTL and its MINIMUM.
check "authoritative dnsmasq with SOA TTL 2 starts" dnsmasq_start auth2 \
	--auth-server=ns.zone.test,127.0.0.1 --auth-zone=zone.test \
	--auth-ttl=2 --txt-record=t.zone.test,there
nsa2="127.0.0.1:$port"
run 'txt nx.zone.test nxdomain miss
txt nx.zone.test nxdomain hit
txt nx.zone.test nxdomain miss' -s "$nsa2" txt:nx.zone.test txt:nx.zone.test sleep:3 txt:nx.zone.test
asked auth2 "[TXT]" nx.zone.test 2
check "... the cached failure says so" grep -q "nxdomain: name does not exist (cached)" "$scratch/err"
run 'a t.zone.test nodata miss
a t.zone.test nodata hit' -s "$nsa2" a:t.zone.test a:t.zone.test
asked auth2 "[A]" t.zone.test 1

check "authoritative dnsmasq with SOA TTL 3600 starts" dnsmasq_start auth3600 \
	--auth-server=ns.zone.test,127.0.0.1 --auth-zone=zone.test \
	--auth-ttl=3600 --txt-record=t.zone.test,there
nsa="127.0.0.1:$port"
# Capped at LIMIT_DNS_NEGATIVE_TTL (300 s) although the SOA says an hour;
# the positive answer beside it keeps its hour (max_ttl 3600).
run 'txt nx.zone.test nxdomain miss
txt t.zone.test ok miss "there"
txt nx.zone.test nxdomain hit
txt t.zone.test ok hit "there"
txt nx.zone.test nxdomain miss
txt t.zone.test ok hit "there"' -f -s "$nsa" txt:nx.zone.test txt:t.zone.test \
	advance:299 txt:nx.zone.test txt:t.zone.test advance:1 txt:nx.zone.test \
	txt:t.zone.test
asked auth3600 "[TXT]" nx.zone.test 2
asked auth3600 "[TXT]" t.zone.test 1

# 5. Failures are never cached.  A dnsmasq without data refuses what it
# does not know (REFUSED: DNS_SERVFAIL); a dnsmasq validating DNSSEC
# answers SERVFAIL for the unsigned record the first one does know
# (as in dns.sh).
check "refusing dnsmasq starts" dnsmasq_start refuse \
	--host-record=y.example,192.0.2.9
nsr="127.0.0.1:$port"
run 'txt x.example servfail miss
txt x.example servfail miss
stats hits=0 misses=2 entries=0' -s "$nsr" txt:x.example txt:x.example stats
asked refuse "[TXT]" x.example 2
up_port=$port
check "validating dnsmasq starts" dnsmasq_start validating \
	--server="127.0.0.1#$up_port" --dnssec \
	--trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
run 'a y.example servfail miss
a y.example servfail miss' -s "127.0.0.1:$port" a:y.example a:y.example
asked validating "[A]" y.example 2
check "... a real SERVFAIL" grep -q "servfail: SERVFAIL" "$scratch/err"

# 6. A cached answer outlives its server.  The tool asks, then waits while
# dnsmasq is killed; the cached question is still answered, a new one
# times out (the port is closed: at once), and that timeout is not kept;
# once the TTL is past (fake clock) the old one times out as well.
check "dnsmasq to be killed starts" dnsmasq_start victim --local=/test/ \
	--local-ttl=60 --txt-record=v.test,alive --txt-record=w.test,other
victim_pid=$dnsmasq_pid
"$tool" -f -t 2000 -s "127.0.0.1:$port" txt:v.test wait:"$scratch/killed" \
	txt:v.test txt:w.test txt:w.test advance:59 txt:v.test advance:1 \
	txt:v.test stats >"$scratch/victim.out" 2>"$scratch/victim.err" &
tool_pid=$!
wait_for "$scratch/victim.out" "txt v.test" 10
kill "$victim_pid"
check "dnsmasq is gone" wait_gone "$victim_pid" 5
touch "$scratch/killed"
wait "$tool_pid"
want='txt v.test ok miss "alive"
txt v.test ok hit "alive"
txt w.test timeout miss
txt w.test timeout miss
txt v.test ok hit "alive"
txt v.test timeout miss
stats hits=2 misses=4 entries=0'
got=$(cat "$scratch/victim.out")
if [ "$got" = "$want" ]; then
	ok "cached answer served after the server died, until it expired"
else
	not_ok "cached answer served after the server died, until it expired"
	diag "want: $(echo "$want" | tr '\n' '|')"
	diag " got: $(echo "$got" | tr '\n' '|') $(tr '\n' '|' <"$scratch/victim.err")"
fi

tap_done
