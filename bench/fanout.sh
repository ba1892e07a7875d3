#!/bin/sh
# bench/fanout.sh -- recipients/s that sealistd delivers for one 5 KB post
# to 10,000 and 100,000 members, into Postfix's smtp-sink on loopback,
# next to the single-process "openssl speed rsa2048" sign rate of the same
# run, and the daemon's peak RSS (VmHWM).  For each smtp_connections in
# CONNS and each members count in SIZES:
#   (a) personalize = 1, verp = yes: per recipient a one-click token and an
#       RSA-2048 DKIM signature (arc_seal = 0, so one RSA operation per
#       recipient); ratio = recipients/s / openssl sign/s, target >= 0.8
#   (b) personalize = 0 (one signature per post), verp = yes (one
#       transaction per recipient) and verp = no (max_rcpt_per_txn per
#       transaction); target >= 5,000 recipients/s
#   (c) VmHWM of sealistd over the whole run (start, pipeline, fan-out),
#       target < 100 MB at 100,000
# The time is from the LMTP 250 to the last delivery row leaving 'queued'
# (polled every 0.1 s in the deliveries table); the daemon is started
# afresh for each row, log_level = warn.
# Usage: bench/fanout.sh [-t SECONDS] [--no-openssl-speed]
#   BENCH_FANOUT_CONNS (default "2 4 8"), BENCH_FANOUT_SIZES (default
#   "10000 100000"), BENCH_FANOUT_MODES (default "a bv bn").
# Run from a build tree; needs sqlite3, dnsmasq and /usr/sbin/smtp-sink.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-.}
secs=3 speed=1
while [ $# -gt 0 ]; do
	case $1 in
	-t) secs=$2; shift 2 ;;
	--no-openssl-speed) speed=0; shift ;;
	*) echo "usage: bench/fanout.sh [-t SECONDS] [--no-openssl-speed]" >&2; exit 2 ;;
	esac
done
conns_list=${BENCH_FANOUT_CONNS:-2 4 8}
sizes=${BENCH_FANOUT_SIZES:-10000 100000}
modes=${BENCH_FANOUT_MODES:-a bv bn}
. "$top_srcdir/tests/lib.sh"
sealist="$top_builddir/src/sealist"
sealistd="$top_builddir/src/sealistd"
py=/usr/bin/python3
sink=${SMTP_SINK:-/usr/sbin/smtp-sink}

[ -x "$sink" ] || { echo "bench/fanout.sh: $sink (Postfix) is missing" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench/fanout.sh: sqlite3 is missing" >&2; exit 1; }
dnsmasq_start dns --local=/example/ >/dev/null \
	|| { echo "bench/fanout.sh: dnsmasq (dnsmasq-base) did not start" >&2; exit 1; }
dns_port=$port

# Postfix's sink: accepts everything, keeps nothing; as root it must drop
# to another user.  Backlog 1000.
sink_port=$(random_port)
if [ "$(id -u)" = 0 ]; then
	"$sink" -u nobody "127.0.0.1:$sink_port" 1000 &
else
	"$sink" "127.0.0.1:$sink_port" 1000 &
fi
sink_pid=$!
at_exit "kill $sink_pid 2>/dev/null"

mkdir -p "$scratch/keys"
db=$scratch/sealist.db
lmtp_port=$(random_port)
# conf CONNS VERP -- the daemon's configuration for one row
conf() {
	cat >"$scratch/sealist.conf" <<CONF
database = $db
lmtp_listen = 127.0.0.1:$lmtp_port
web_listen =
web_base_url = https://lists.example.org
dns_nameserver = 127.0.0.1:$dns_port
authserv_id = lists.bench
templates_dir = $top_srcdir/templates
keys_dir = $scratch/keys
pipeline_workers = 2
smtp_relay = smtp://127.0.0.1:$sink_port
smtp_starttls = off
smtp_connections = $1
verp = $2
max_rcpt_per_txn = 100
log_level = warn
CONF
}
conf 4 yes
cli() { "$sealist" -c "$scratch/sealist.conf" "$@" >/dev/null; }
for n in $sizes; do
	cli list create "m$n@example.org" --owner boss@example.org || exit 1
	cli member add "m$n@example.org" alice@example.net || exit 1
	sqlite3 "$db" "
	WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < $n)
	INSERT INTO members (list_id, address, address_key, subscribed_at)
	SELECT l.id, printf('r%06d@example.net', i), printf('r%06d@example.net', i),
	       strftime('%s', 'now')
	FROM n, lists l WHERE l.local_part = 'm$n';
	INSERT INTO list_settings (list_id, name, value)
	SELECT id, 'arc_seal', '0' FROM lists WHERE local_part = 'm$n'" || exit 1
done
cli key generate example.org || exit 1

# A 5 KB post (5,000 bytes of body, 7 header fields).
{
	printf '%s\r\n' "From: Alice Example <alice@example.net>" "To: list" \
		"Subject: a typical post" "Date: Thu, 26 Nov 2026 10:00:00 +0000" \
		"Message-ID: <bench-fanout@example.net>" "MIME-Version: 1.0" \
		"Content-Type: text/plain; charset=us-ascii" ""
	i=0; while [ $i -lt 66 ]; do
		printf '%s\r\n' "Line $i of a post of about five kilobytes, the size of a typical message."
		i=$((i + 1)); done
} >"$scratch/post.eml"

sign=0
if [ "$speed" = 1 ]; then
	echo "bench/fanout.sh: running openssl speed -seconds $secs rsa2048 ..." >&2
	sign=$(openssl speed -seconds "$secs" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $(NF-1) }')
fi
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

: >"$scratch/results.txt"
run=0
for c in $conns_list; do
	for mode in $modes; do
		case $mode in
		a) verp=yes personalize=1 ;;
		bv) verp=yes personalize=0 ;;
		bn) verp=no personalize=0 ;;
		*) echo "bench/fanout.sh: unknown mode $mode" >&2; exit 2 ;;
		esac
		conf "$c" "$verp"
		sqlite3 "$db" "DELETE FROM list_settings WHERE name = 'personalize';
			INSERT INTO list_settings (list_id, name, value)
			SELECT id, 'personalize', '$personalize' FROM lists"
		for n in $sizes; do
			run=$((run + 1))
			"$sealistd" -f -c "$scratch/sealist.conf" 2>>"$scratch/daemon.log" &
			daemon=$!
			echo "bench/fanout.sh: smtp_connections $c, $mode, $n members ..." >&2
			$py - "$lmtp_port" "$scratch/post.eml" "m$n@example.org" "$db" "$daemon" "$run" "$sink_pid" \
				<<'PY' >>"$scratch/results.txt" || { kill $daemon; cat "$scratch/daemon.log" >&2; exit 1; }
import smtplib, sqlite3, sys, time
import os
port, path, rcpt, db, pid, run, sink = (int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4],
                                        sys.argv[5], sys.argv[6], sys.argv[7])
def cpu(p):
    """user + system seconds of process p so far"""
    f = open("/proc/%s/stat" % p).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
for i in range(200):
    try:
        c = smtplib.LMTP("127.0.0.1", port, timeout=60)
        break
    except OSError:
        time.sleep(0.05)
else:
    sys.exit("no LMTP")
con = sqlite3.connect(db, timeout=30)
before = con.execute("SELECT coalesce(max(id), 0) FROM outbound").fetchone()[0]
c.ehlo("bench.test")
c.mail("alice@example.net")
c.rcpt(rcpt)
c.putcmd("data"); c.getreply()
post = open(path, "rb").read().replace(b"To: list", b"To: " + rcpt.encode())
c.send(b"X-Run: %s\r\n" % run.encode() + post + b".\r\n")
code, msg = c.getreply()
t0 = time.monotonic()
cpu0, sink0 = cpu(pid), cpu(sink)
c.quit()
if code != 250:
    sys.exit("LMTP %d %s" % (code, msg))
def hwm():
    for line in open("/proc/%s/status" % pid):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
while True:
    row = con.execute("SELECT id FROM outbound WHERE id > ? AND kind = 'post'", (before,)).fetchone()
    if row:
        break
    held = con.execute("SELECT reason FROM inbox_rcpt WHERE state = 'held'").fetchone()
    if time.monotonic() - t0 > 60 or held:
        sys.exit("the post was not queued%s" % (": held, %s" % held[0] if held else ""))
    time.sleep(0.02)
oid = row[0]
total = con.execute("SELECT count(*) FROM deliveries WHERE outbound_id = ?", (oid,)).fetchone()[0]
while con.execute("SELECT count(*) FROM deliveries WHERE outbound_id = ? AND state = 'queued'",
                  (oid,)).fetchone()[0]:
    time.sleep(0.1)
secs = time.monotonic() - t0
dcpu, scpu = cpu(pid) - cpu0, cpu(sink) - sink0
bad = con.execute("SELECT count(*) FROM deliveries WHERE outbound_id = ? AND state <> 'delivered'",
                  (oid,)).fetchone()[0]
load = open("/proc/loadavg").read().split()[0]
print(total, "%.3f" % secs, bad, "%.1f" % hwm(), load, "%.0f" % (dcpu * 1e6 / total),
      "%.0f" % (scpu * 1e6 / total))
PY
			printf '%s %s\n' "$c $mode" "$(tail -n1 "$scratch/results.txt")" >>"$scratch/table.txt"
			kill $daemon; wait $daemon 2>/dev/null
		done
	done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

cmd="BENCH_FANOUT_CONNS='$conns_list' BENCH_FANOUT_SIZES='$sizes' BENCH_FANOUT_MODES='$modes' bench/fanout.sh -t $secs"
[ "$speed" = 1 ] || cmd="$cmd --no-openssl-speed"
$py - "${sign:-0}" "$secs" "$load_start" "$load_end" "$scratch/table.txt" "$cmd" <<'PY'
import sys
sign, secs, l0, l1, path, cmd = (float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4],
                                 sys.argv[5], sys.argv[6])
names = {"a": "(a) personalize=1 verp=yes", "bv": "(b) personalize=0 verp=yes",
         "bn": "(b) personalize=0 verp=no"}
print("bench/fanout: one 5 KB post, RSA-2048 DKIM (no ARC), Postfix smtp-sink on loopback,")
print("command: %s" % cmd)
print("time from the LMTP 250 to the last row delivered; load avg %s at start, %s at end\n" % (l0, l1))
if sign:
    print("openssl speed -seconds %s rsa2048: %.1f sign/s (one process)\n" % (secs, sign))
print("%-28s %5s %8s %8s %8s %6s %8s %5s %7s %7s" % ("", "conns", "members", "seconds",
      "rcpt/s", "ratio", "VmHWM MB", "load", "us/rcpt", "sink us"))
best = {}
for line in open(path):
    c, mode, n, s, bad, hwm, load, dus, sus = line.split()
    n, s = int(n), float(s)
    rate = n / s
    ratio = "%.3f" % (rate / sign) if sign and mode == "a" else "-"
    print("%-28s %5s %8d %8.2f %8.0f %6s %8s %5s %7s %7s%s" % (names[mode], c, n, s, rate, ratio,
          hwm, load, dus, sus, "  (%s not delivered)" % bad if int(bad) else ""))
    key = (mode, n)
    if key not in best or rate > best[key][1]:
        best[key] = (c, rate)
print()
for (mode, n), (c, rate) in sorted(best.items()):
    print("best for %s, %d members: smtp_connections = %s (%.0f rcpt/s)" % (names[mode], n, c, rate))
print("\nratio = rcpt/s / openssl sign/s; load = 1-minute load average at the end of the row;")
print("us/rcpt, sink us = CPU time (user + system) of sealistd and of smtp-sink per recipient")
print("during the fan-out: what a busy machine does not change much.")
print("targets: (a) ratio >= 0.8; (b) >= 5,000 rcpt/s; (c) VmHWM < 100 MB at 100,000")
PY
