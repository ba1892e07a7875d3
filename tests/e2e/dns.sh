#!/bin/sh
# dns.sh -- lib/dns against a real DNS server (dnsmasq) on loopback:
# multi-string and multiple TXT, TXT too big for UDP (TCP retry), A, AAAA,
# MX, CNAME chains, NXDOMAIN vs NODATA, SERVFAIL and REFUSED vs timeout,
# the time bound with a silent server (UDP) and a silent TCP server, and
# the retry without EDNS0 after FORMERR.  dnsmasq comes from Debian's
# dnsmasq-base; python3 plays the odd servers.  A missing tool is a
# failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
tool="$top_builddir/tests/unit/dns_lookup_tool"

dnsmasq=$(command -v dnsmasq || ls /usr/sbin/dnsmasq 2>/dev/null)
if [ -z "$dnsmasq" ] || ! command -v python3 >/dev/null; then
	not_ok "dnsmasq (Debian package dnsmasq-base) and python3 are installed"
	tap_done
	exit 1
fi
check "lookup tool is built" [ -x "$tool" ]

# Upstream: knows one name outside .test; REFUSES everything else.
check "upstream dnsmasq starts" dnsmasq_start upstream \
	--host-record=x.fail.example,192.0.2.9
up_port=$port

# The server under test.  On dnsmasq's command line (unlike its config
# files) quotes are literal: commas alone split a TXT record into
# character-strings, spaces kept.  Names under .test are local: unknown
# ones are NXDOMAIN.  Everything else goes upstream with DNSSEC validation on;
# upstream's unsigned answer cannot be validated (BOGUS, or ABANDONED when
# upstream refuses the DS query), which dnsmasq reports as SERVFAIL.
# (Without DNSSEC, dnsmasq never answers when upstream is dead or refuses:
# it passes REFUSED on and stays silent for a dead upstream.)
long=$(printf '%0200d' 0 | tr 0 L)
s255=$(printf '%0255d' 0 | tr 0 x)
check "dnsmasq under test starts" dnsmasq_start main \
	--local=/test/ \
	'--txt-record=multi.test,v=DKIM1; k=rsa; ,p=MIGf,AQAB' \
	--txt-record=s255.test,"$s255",yyy \
	--txt-record=two.test,first --txt-record=two.test,second \
	--txt-record=big.test,"1$long" --txt-record=big.test,"2$long" \
	--txt-record=big.test,"3$long" --txt-record=big.test,"4$long" \
	--txt-record=big.test,"5$long" --txt-record=big.test,"6$long" \
	--txt-record=big.test,"7$long" --txt-record=big.test,"8$long" \
	--host-record=host.test,192.0.2.1,2001:db8::1 \
	--host-record=v4only.test,192.0.2.4 \
	--mx-host=test,mail.test,10 --mx-host=test,backup.test,20 \
	--cname=alias.test,host.test --cname=alias2.test,alias.test \
	--server="127.0.0.1#$up_port" --dnssec \
	--trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
main_port=$port
ns="127.0.0.1:$main_port"

# lookup EXPECTED TYPE NAME [OPTIONS] -- output (sorted after the status
# line, since servers may rotate records) must equal EXPECTED
lookup() {
	want=$1; type=$2; qname=$3; shift 3
	got=$("$tool" -s "$ns" "$@" "$type" "$qname" 2>"$scratch/err")
	got=$(printf '%s\n' "$got" | { read -r first; echo "$first"; sort; })
	if [ "$got" = "$want" ]; then
		ok "$type $qname"
	else
		not_ok "$type $qname"
		diag "want: $(echo "$want" | tr '\n' '|')"
		diag " got: $(echo "$got" | tr '\n' '|') $(cat "$scratch/err")"
	fi
}

lookup 'status ok
txt "v=DKIM1; k=rsa; p=MIGfAQAB"' txt multi.test
lookup "status ok
txt \"${s255}yyy\"" txt s255.test
lookup 'status ok
txt "first"
txt "second"' txt two.test
lookup 'status ok
a 192.0.2.1' a host.test
lookup 'status ok
a 192.0.2.1' a HOST.Test
lookup 'status ok
aaaa 2001:db8::1' aaaa host.test
lookup 'status ok
mx 10 mail.test
mx 20 backup.test' mx test
lookup 'status ok
a 192.0.2.1' a alias.test
lookup 'status ok
a 192.0.2.1' a alias2.test
lookup 'status ok
aaaa 2001:db8::1' aaaa alias2.test
lookup 'status nxdomain' txt nothere.test
lookup 'status nxdomain' a deeper.nothere.test
lookup 'status nodata' txt host.test
lookup 'status nodata' aaaa v4only.test
lookup 'status nodata' txt alias2.test
lookup 'status nodata' mx host.test

# 8 x 201 octets of TXT: more than the 1232 we offer over UDP, so dnsmasq
# truncates and lib/dns asks again over TCP.
want="status ok"
for i in 1 2 3 4 5 6 7 8; do want="$want
txt \"$i$long\""; done
lookup "$want" txt big.test
# dnsmasq logs asynchronously: wait for the second (TCP) query line.
i=0
while [ "$(grep -c 'query\[TXT\] big.test' "$scratch/main.log")" -lt 2 ] && [ $i -lt 30 ]; do
	sleep 0.1; i=$((i + 1))
done
check "big.test was asked twice (UDP, then TCP)" [ "$(grep -c 'query\[TXT\] big.test' "$scratch/main.log")" -eq 2 ]

# SERVFAIL: a real rcode 2 from dnsmasq (DNSSEC bogus), must not be
# mistaken for a timeout although glibc's res_nsend() reports both alike.
start=$(date +%s%N)
lookup 'status servfail' a x.fail.example -t 5000
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "SERVFAIL came at once, not after the timeout (${ms} ms)" [ "$ms" -lt 2000 ]
check "the error message names SERVFAIL" grep -q "servfail: SERVFAIL" "$scratch/err"
check "dnsmasq logged the failed validation it turned into SERVFAIL" \
	wait_for "$scratch/main.log" "validation x.fail.example is \(BOGUS\|ABANDONED\)" 3

# REFUSED from the upstream server directly: a server failure too.
ns="127.0.0.1:$up_port"
lookup 'status servfail' txt y.example
check "the error message names REFUSED" grep -q "servfail: REFUSED" "$scratch/err"
lookup 'status ok
a 192.0.2.9' a x.fail.example

# Odd servers, played by python3: "udp" reads queries and never answers;
# "tc" answers every UDP query with an empty truncated reply and accepts
# TCP connections but never reads or answers on them; "formerr" answers
# FORMERR to a query with EDNS0 (an OPT record: ARCOUNT > 0) and a TXT
# record "no-edns" to one without.
cat > "$scratch/odd.py" <<'PY'
import socket, sys, threading
mode, port, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", port))
if mode == "tc":
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("127.0.0.1", port))
    t.listen(16)
    held = []
    threading.Thread(target=lambda: [held.append(t.accept()) for _ in iter(int, 1)],
                     daemon=True).start()
open(ready, "w").write("ready\n")
while True:
    q, peer = u.recvfrom(4096)
    if len(q) < 12 or mode == "udp":
        continue
    end = 12
    while end < len(q) and q[end] != 0:
        end += 1 + q[end]
    question = q[12:end + 5]
    rd = q[2] & 1
    if mode == "tc":
        # id, QR+TC (+RD as asked), rcode 0, QD=1, AN=NS=AR=0, question
        u.sendto(q[0:2] + bytes([0x82 | rd, 0x80]) + b"\0\1\0\0\0\0\0\0" + question, peer)
    elif q[10] or q[11]:
        # FORMERR, QD=1
        u.sendto(q[0:2] + bytes([0x80 | rd, 0x81]) + b"\0\1\0\0\0\0\0\0" + question, peer)
    else:
        # NOERROR, QD=1 AN=1: TXT "no-edns" owned by the question name
        rr = b"\xc0\x0c\0\x10\0\x01\0\0\0\x3c\0\x08\x07no-edns"
        u.sendto(q[0:2] + bytes([0x80 | rd, 0x80]) + b"\0\1\0\1\0\0\0\0" + question + rr, peer)
PY

# start_odd MODE -- sets $port
start_odd() {
	for try in 1 2 3 4 5; do
		port=$(random_port)
		rm -f "$scratch/odd.ready"
		python3 "$scratch/odd.py" "$1" "$port" "$scratch/odd.ready" \
			2>"$scratch/odd.err" &
		pid=$!
		at_exit "kill $pid 2>/dev/null"
		wait_for "$scratch/odd.ready" ready 5 && return 0
		kill "$pid" 2>/dev/null
	done
	return 1
}

in_range() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# timed_lookup MIN_MS MAX_MS TIMEOUT_MS TYPE NAME -- status timeout, and
# the lookup's own time (measured in the tool) within [MIN_MS, MAX_MS];
# the whole process gets a second more for start-up on a loaded machine.
timed_lookup() {
	min=$1; max=$2; tmo=$3; shift 3
	start=$(date +%s%N)
	got=$("$tool" -T -s "$ns" -t "$tmo" "$@" 2>"$scratch/err")
	wall=$(( ($(date +%s%N) - start) / 1000000 ))
	ms=$(echo "$got" | sed -n 's/^elapsed_ms //p')
	check "$* with -t $tmo: status timeout ($(cat "$scratch/err"))" \
		[ "$(echo "$got" | head -n 1)" = "status timeout" ]
	check "... lookup took ${ms} ms, within [$min, $max]" \
		in_range "$ms" "$min" "$max"
	check "... process took ${wall} ms, under $((max + 1000))" [ "$wall" -le $((max + 1000)) ]
}

check "silent UDP server starts" start_odd udp
ns="127.0.0.1:$port"
timed_lookup 1900 2200 2000 txt x.test
timed_lookup 2900 3200 3999 a x.test	# rounds down to whole seconds

check "truncating server with a silent TCP side starts" start_odd tc
ns="127.0.0.1:$port"
timed_lookup 1900 2200 2000 txt x.test
check "... the error says TCP" grep -q "no TCP answer in time" "$scratch/err"

check "FORMERR-to-EDNS0 server starts" start_odd formerr
ns="127.0.0.1:$port"
lookup 'status ok
txt "no-edns"' txt old.example

# Nobody on the port: the kernel refuses at once; no server answered.
ns="127.0.0.1:$(random_port)"
start=$(date +%s%N)
got=$("$tool" -s "$ns" -t 3000 a x.test 2>"$scratch/err")
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "closed port: status timeout ($(cat "$scratch/err"))" [ "$got" = "status timeout" ]
check "... at once (${ms} ms), not after the timeout" [ "$ms" -lt 1000 ]

# Configuration errors come back as messages.
got=$("$tool" -s "[::1]:53" a x.test)
check "IPv6 nameserver refused with a reason" [ "$got" = "resolver: IPv6 nameserver addresses are not supported (glibc's res_state takes only IPv4 ones); use IPV4:PORT" ]
got=$("$tool" -s "127.0.0.1:53" -t 500 a x.test)
check "sub-second timeout refused with a reason" [ "$got" = "resolver: DNS timeout must be at least 1000 ms (glibc's resolver waits in whole seconds)" ]

tap_done
