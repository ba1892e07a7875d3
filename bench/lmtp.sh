#!/bin/sh
# bench/lmtp.sh -- posts/s that sealistd accepts over LMTP and fully
# processes (stored, authenticated, judged, rewritten, enqueued), for 5 KB
# DKIM-signed posts from 8 concurrent LMTP clients, next to the raw
# "openssl speed rsa2048" verify rate of the same run.  The records are
# served by a loopback dnsmasq; the database is a fresh file in a scratch
# directory (WAL, synchronous=FULL: every commit is an fsync).
# Usage: bench/lmtp.sh [POSTS] (default 800).  Run from a build tree.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-.}
posts=${1:-800}
. "$top_srcdir/tests/lib.sh"
sealist="$top_builddir/src/sealist"
sealistd="$top_builddir/src/sealistd"
py=/usr/bin/python3
zone=$scratch/zone.txt

record() { printf '%s TXT "%s"\n' "$1" "$2" >>"$zone"; }
: >"$zone"
p=$(dkim_keygen "$scratch/author.pem" rsa) || exit 1
record s1._domainkey.author.example "v=DKIM1; k=rsa; p=$p"
record author.example "v=spf1 ip4:192.0.2.0/24 -all"
record _dmarc.author.example "v=DMARC1; p=reject"
dnsmasq_zone bench "$zone" --local=/example/ --local-ttl=300 >/dev/null \
	|| { echo "bench/lmtp.sh: dnsmasq (dnsmasq-base) did not start" >&2; exit 1; }

lmtp_port=$(random_port)
cat >"$scratch/sealist.conf" <<CONF
database = $scratch/sealist.db
lmtp_listen = 127.0.0.1:$lmtp_port
web_listen =
dns_nameserver = 127.0.0.1:$port
authserv_id = lists.bench
templates_dir = $top_srcdir/templates
pipeline_workers = 2
log_level = warn
CONF
"$sealist" -c "$scratch/sealist.conf" list create dev@example.org --owner boss@example.org >/dev/null
"$sealist" -c "$scratch/sealist.conf" member add dev@example.org alice@author.example >/dev/null

# A 5 KB post signed once; each copy gets its own unsigned X-Bench-Seq
# field on top, so no two are the same bytes and the signature holds.
{
	printf '%s\r\n' "From: Alice Example <alice@author.example>" "To: dev@example.org" \
		"Subject: a typical post" "Date: Thu, 26 Nov 2026 10:00:00 +0000" \
		"Message-ID: <bench@author.example>" "MIME-Version: 1.0" \
		"Content-Type: text/plain; charset=us-ascii" ""
	i=0; while [ $i -lt 64 ]; do
		printf '%s\r\n' "Line $i of a post of about five kilobytes, the size of a typical message."
		i=$((i + 1)); done
} >"$scratch/post.eml"
"$sealist" dkim sign --domain author.example --selector s1 --key "$scratch/author.pem" \
	<"$scratch/post.eml" >"$scratch/signed.eml" || exit 1

"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
# log_level warn keeps per-message log lines out of the figures, so wait
# for the port itself
$py -c 'import socket, sys, time
for i in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close(); sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)' "$lmtp_port" || { cat "$scratch/daemon.log" >&2; exit 1; }

echo "bench/lmtp.sh: running openssl speed -seconds 3 rsa2048 ..." >&2
verify=$(openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $NF }')

$py - "$lmtp_port" "$posts" "$scratch/signed.eml" "$scratch/sealist.db" "${verify:-0}" <<'PY'
import smtplib, sqlite3, sys, threading, time
port, total, path, db, verify = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
post = open(path, "rb").read()
clients = 8
errors = []

def client(k):
    c = smtplib.LMTP("127.0.0.1", port, timeout=60)
    c.ehlo("bench.test")
    for i in range(k, total, clients):
        c.docmd("XFORWARD", "ADDR=192.0.2.10 HELO=mx.author.example")
        c.mail("bounce@author.example")
        c.rcpt("dev@example.org")
        c.putcmd("data")
        c.getreply()
        c.send(b"X-Bench-Seq: %d\r\n" % i + post + b".\r\n")
        code, msg = c.getreply()
        if code != 250:
            errors.append((i, code, msg))
    c.quit()

start = time.monotonic()
threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
accepted = time.monotonic() - start
con = sqlite3.connect(db, timeout=30)
while True:
    left = con.execute("SELECT count(*) FROM inbox_rcpt WHERE state = 'pending'").fetchone()[0]
    new = con.execute("SELECT count(*) FROM inbox WHERE state = 'new'").fetchone()[0]
    if left == 0 and new == 0:
        break
    time.sleep(0.01)
done = time.monotonic() - start
enq = con.execute("SELECT count(*) FROM outbound WHERE kind = 'post'").fetchone()[0]
if errors or enq != total:
    print("bench/lmtp.sh: %d errors, %d of %d enqueued" % (len(errors), enq, total), file=sys.stderr)
    sys.exit(1)
print("bench/lmtp: %d DKIM-signed 5 KB posts, 8 LMTP clients, 2 pipeline workers\n" % total)
print("%-46s %10s %10s" % ("", "posts/s", "ratio"))
if verify:
    print("%-46s %10.1f %10s   (verify/s)" % ("openssl speed rsa2048", verify, ""))
for label, secs in (("accepted (250 after a durable commit)", accepted),
                    ("fully processed (enqueued for delivery)", done)):
    rate = total / secs
    print("%-46s %10.1f %10s" % (label, rate, "%.4f" % (rate / verify) if verify else "-"))
print("\nratio = posts/s / openssl speed rsa2048 verify/s (each post costs two RSA\n"
      "verifications: DKIM on arrival, and the keep check after the rewrite)")
PY
