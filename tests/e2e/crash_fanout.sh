#!/bin/sh
# crash_fanout.sh -- nothing lost, few twice: one post to a list of 10,000
# members (CRASH_FANOUT_MEMBERS, e.g. 1000 under ASan), delivered by
# sealistd to a fast SMTP sink (tests/tools/count_sink.py, which appends
# every accepted recipient to a file before its 250), while the daemon is
# killed with SIGKILL at random moments of the fan-out (at least 5 times,
# CRASH_FANOUT_KILLS) and started again.  Afterwards every member must
# have received the post at least once, the duplicates must stay within
# what was in flight at each kill (smtp_connections workers x their batch
# of rows, recorded in one transaction: src/delivery.c), and the queue
# must end with every row delivered and none left queued.
# Personalized copies (one-click token + RSA-2048 DKIM per recipient) and
# VERP, the defaults, so the fan-out is as slow as it gets in production.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
members=${CRASH_FANOUT_MEMBERS:-10000}
kills=${CRASH_FANOUT_KILLS:-5}
conns=4
batch=32		# DELIVERY_BATCH in src/delivery.c (verp = yes)

command -v sqlite3 >/dev/null || { not_ok "sqlite3 is installed"; tap_done; exit 1; }
check "dnsmasq for the lookups" dnsmasq_start dns --local=/example/
db=$scratch/sealist.db
log=$scratch/received.txt
: >"$log"
"$py" "$top_srcdir/tests/tools/count_sink.py" --log "$log" >"$scratch/sink.out" 2>"$scratch/sink.err" &
at_exit "kill $! 2>/dev/null"
check "the sink listens" wait_for "$scratch/sink.out" '^port ' 10
sink_port=$(awk '/^port /{print $2}' "$scratch/sink.out")
lmtp_port=$(random_port)
mkdir -p "$scratch/keys"
cat >"$scratch/sealist.conf" <<CONF
database = $db
lmtp_listen = 127.0.0.1:$lmtp_port
web_listen =
web_base_url = https://lists.example.org
dns_nameserver = 127.0.0.1:$port
authserv_id = lists.test
templates_dir = $top_srcdir/templates
keys_dir = $scratch/keys
pipeline_workers = 2
smtp_relay = smtp://127.0.0.1:$sink_port
smtp_starttls = off
smtp_connections = $conns
verp = yes
log_level = warn
CONF
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 -cmd ".timeout 5000" "$db" "$1"; }
check "the list" cli list create dev@example.org --owner boss@example.org
check "an RSA signing key for the list domain" sh -c \
	"'$sealist' -c '$scratch/sealist.conf' key generate example.org >/dev/null"
check "the poster is a member" cli member add dev@example.org alice@example.net
# the other members in one transaction (member add takes ~10 s for 10,000)
check "$members members" sql "
	WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < $members)
	INSERT INTO members (list_id, address, address_key, subscribed_at)
	SELECT (SELECT id FROM lists), printf('m%06d@example.net', i),
	       printf('m%06d@example.net', i), strftime('%s', 'now') FROM n"
diag "the bound: $conns connections x $batch rows per batch x $kills kills = $((conns * batch * kills)) duplicates at most"

start_daemon() {
	"$sealistd" -f -c "$scratch/sealist.conf" 2>>"$scratch/daemon.log" &
	echo $! >"$scratch/daemon.pid"
}
# wait_port -- until the LMTP port answers (log_level warn: no "served" line)
wait_port() {
	"$py" -c 'import socket, sys, time
for i in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close(); sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)' "$lmtp_port"
}
received() { wc -l <"$log" | tr -d ' '; }
start_daemon
at_exit 'kill $(cat "$scratch/daemon.pid") 2>/dev/null'
check "the daemon serves LMTP" wait_port

printf '%s\r\n' "From: alice@example.net" "To: dev@example.org" "Subject: to everyone" \
	"Message-ID: <fanout@crash.test>" "MIME-Version: 1.0" \
	"Content-Type: text/plain; charset=us-ascii" "" >"$scratch/post.eml"
i=0; while [ $i -lt 64 ]; do
	printf '%s\r\n' "Line $i of a post of about five kilobytes, the size of a typical message." \
		>>"$scratch/post.eml"; i=$((i + 1)); done
started=$(date +%s)
"$py" "$top_srcdir/tests/tools/lmtp_send.py" "127.0.0.1:$lmtp_port" alice@example.net \
	"$scratch/post.eml" dev@example.org >"$scratch/lmtp.out" 2>&1
check "the post is accepted (250)" grep -q '^dev@example.org 250' "$scratch/lmtp.out"

# Kill at random points of the fan-out, then start again: at kills random
# counts of received copies between 5 % and 90 % of the members (so the
# kills are spread over the whole fan-out, not bunched at its start), each
# a kill only if this daemon has delivered something (the count moved
# since it started) and the fan-out is not over (fewer lines than members).
points=$("$py" -c 'import random, sys
n, k = int(sys.argv[1]), int(sys.argv[2])
print(" ".join(str(p) for p in sorted(random.randint(n // 20, n * 9 // 10) for _ in range(k))))' \
	"$members" "$kills")
diag "kill points (copies received): $points"
k=0
for point in $points; do
	before=$(received)
	j=0
	while [ $j -lt 3000 ]; do	# 60 s
		now=$(received)
		[ "$now" -gt "$before" ] && [ "$now" -ge "$point" ] && break
		sleep 0.02; j=$((j + 1))
	done
	[ "$now" -ge "$members" ] && break
	[ "$now" -gt "$before" ] || continue
	kill -9 "$(cat "$scratch/daemon.pid")"
	wait "$(cat "$scratch/daemon.pid")" 2>/dev/null
	k=$((k + 1))
	diag "kill $k: $now of $members received ($(sql "SELECT count(*) FROM deliveries WHERE state = 'delivered'") rows delivered)"
	start_daemon
done
check "killed $k times mid-fan-out (at least $kills)" [ $k -ge "$kills" ]

# Let the last daemon finish.
i=0
while [ $i -lt 900 ]; do
	[ "$(sql "SELECT count(*) FROM deliveries WHERE state = 'queued'")" = 0 ] && break
	sleep 0.2; i=$((i + 1))
done
diag "fan-out of $members with $k kills done in $(( $(date +%s) - started )) s"
check "no row left queued" [ "$(sql "SELECT count(*) FROM deliveries WHERE state = 'queued'")" = 0 ]
check "$members rows, all delivered" \
	[ "$(sql "SELECT count(*) FROM deliveries WHERE state = 'delivered'")" = "$members" ]
sql "SELECT recipient FROM deliveries" >"$scratch/expected.txt"

"$py" - "$scratch/expected.txt" "$log" "$((conns * batch * k))" >"$scratch/verdict.txt" <<'EOF'
import collections, sys
expected = set(l.strip().lower() for l in open(sys.argv[1]) if l.strip())
got = collections.Counter(l.strip().lower() for l in open(sys.argv[2]) if l.strip())
missing = expected - set(got)
extra = set(got) - expected
dups = sum(c - 1 for c in got.values())
print("expected", len(expected))
print("received_lines", sum(got.values()))
print("missing", len(missing), sorted(missing)[:5])
print("unexpected", len(extra), sorted(extra)[:5])
print("duplicates", dups)
print("max_copies", max(got.values()) if got else 0)
print("bound", sys.argv[3])
EOF
sed 's/^/# /' "$scratch/verdict.txt"
field() { sed -n "s/^$1 \([0-9]*\).*/\1/p" "$scratch/verdict.txt"; }
check "every member received the post" [ "$(field missing)-$(field expected)" = "0-$members" ]
check "no one else received it" [ "$(field unexpected)" = 0 ]
check "duplicates $(field duplicates) <= $((conns * batch * k)) (in flight at the kills)" \
	[ "$(field duplicates)" -le $((conns * batch * k)) ]
check "no error in the daemon's log" sh -c "! grep -q 'level=error' '$scratch/daemon.log'"
kill "$(cat "$scratch/daemon.pid")" 2>/dev/null
tap_done
