#!/bin/sh
# delivery.sh -- the delivery workers (src/delivery.c) end to end: the real
# sealistd takes two posts over LMTP for a list of 1,000 members and
# delivers each to every member through smtp_relay, here
# tests/tools/smtp_sink.py on loopback.  Every copy that reaches the sink
# is checked by independent verifiers run with Debian's /usr/bin/python3:
# dkimpy (both DKIM signatures by example.org, rsa-sha256 and
# ed25519-sha256, keys from dnsmasq; the ARC chain, cv=pass), authheaders
# (DMARC pass for example.org, SPF given as pass for the envelope domain),
# and plain Python for the rest: VERP envelope decodes to the recipient,
# the one-click List-Unsubscribe token recomputed from lists.token_key
# (src/token.h) names the recipient, List-Unsubscribe-Post present and
# signed.  Then verp = no and personalize = 0: one signed copy for up to
# max_rcpt_per_txn recipients per transaction.
# Members are added with "sealist member add", 200 per call (5 calls, well
# under a second).  A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
send="$py $top_srcdir/tests/tools/lmtp_send.py"
sink="$top_srcdir/tests/tools/smtp_sink.py"
zone=$scratch/zone.txt
MEMBERS=1000

if ! command -v sqlite3 >/dev/null || ! command -v openssl >/dev/null \
   || ! $py -c 'import dkim, nacl, dns.resolver, authheaders' 2>/dev/null; then
	not_ok "sqlite3, openssl and /usr/bin/python3 with python3-dkim, -nacl, -dnspython, -authheaders"
	tap_done
	exit 1
fi

db=$scratch/sealist.db
sock=$scratch/lmtp.sock
write_conf() {	# write_conf VERP MAX_RCPT
	cat >"$scratch/sealist.conf" <<CONF
database = $db
keys_dir = $scratch/keys
lmtp_listen = unix:$sock
web_listen =
web_base_url = https://lists.example.org
dns_nameserver = 127.0.0.1:${dns_port:-53}
authserv_id = lists.test
templates_dir = $top_srcdir/templates
pipeline_workers = 2
log_level = info
smtp_relay = smtp://127.0.0.1:${sink_port:-25}
smtp_starttls = off
smtp_connections = 4
verp = $1
max_rcpt_per_txn = $2
retry_schedule = 1s
max_queue_lifetime = 1h
CONF
}
write_conf yes 100
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 "$db" "$1"; }

# -- keys, zone, dnsmasq ------------------------------------------------------
check "an RSA key for example.org" sh -c "'$sealist' -c '$scratch/sealist.conf' key generate example.org >/dev/null"
check "an Ed25519 key for example.org" sh -c "'$sealist' -c '$scratch/sealist.conf' key generate example.org --type ed25519 >/dev/null"
record() { printf '%s TXT "%s"\n' "$1" "$2" >>"$zone"; }
: >"$zone"
# "sealist key dns" prints zone-file syntax over several lines: one line each
cli key dns example.org | awk '/^[^ \t]/ { if (l != "") print l; l = $0; next }
	{ l = l " " $0 } END { if (l != "") print l }' >>"$zone"
check "key dns printed both records" [ "$(grep -c '_domainkey.example.org' "$zone")" = 2 ]
p=$(dkim_keygen "$scratch/author.pem" rsa) || exit 1
record s1._domainkey.author.example "v=DKIM1; k=rsa; p=$p"
record author.example "v=spf1 ip4:192.0.2.0/24 -all"
record _dmarc.author.example "v=DMARC1; p=reject"
record relaxed.example "v=spf1 ip4:198.51.100.0/24 -all"
record _dmarc.relaxed.example "v=DMARC1; p=none"
record _dmarc.example.org "v=DMARC1; p=reject"
check "dnsmasq serves the zone" dnsmasq_zone dns "$zone" --local=/example/ --local=/example.org/
dns_port=$port

# -- the sink -------------------------------------------------------------------
mkdir -p "$scratch/sink"
$py "$sink" --dir "$scratch/sink" >"$scratch/sink.out" 2>"$scratch/sink.err" &
at_exit "kill $! 2>/dev/null"
check "the sink listens" wait_for "$scratch/sink.out" '^port ' 10
sink_port=$(awk '/^port /{print $2}' "$scratch/sink.out")
write_conf yes 100

# -- the list: 1,000 members -------------------------------------------------------
check "the list" cli list create dev@example.org --owner boss@example.org
# the two authors, a mixed-case local part (kept as typed), a '+' (percent-
# encoded in the URL, kept in VERP), and 996 plain ones over 40 domains
{ echo alice@author.example; echo bob@relaxed.example; echo Mixed.Case@mixed.example
  echo u+tag@plus.example
  i=4; while [ $i -lt $MEMBERS ]; do echo "m$i@d$((i % 40)).example"; i=$((i + 1)); done
} >"$scratch/members"
ok_add=yes
split -l 200 "$scratch/members" "$scratch/chunk."
for f in "$scratch"/chunk.*; do
	# shellcheck disable=SC2046
	cli member add dev@example.org $(cat "$f") >/dev/null || ok_add=no
done
check "1,000 members added with sealist member add, 200 per call" [ "$ok_add" = yes ]
check "1,000 active regular members" [ "$(sql "SELECT count(*) FROM members WHERE status = 'enabled'")" = $MEMBERS ]

"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "the daemon serves LMTP" wait_for "$scratch/daemon.log" "service=lmtp listen=unix:$sock served=yes"

# post NAME FROM SUBJECT -- $scratch/NAME.eml, CRLF
post() {
	printf '%s\r\n' "From: $2" "To: Dev <dev@example.org>" "Subject: $3" \
		"Date: Fri, 27 Nov 2026 10:00:00 +0000" "Message-ID: <$1@test>" \
		"MIME-Version: 1.0" "Content-Type: text/plain; charset=us-ascii" "" \
		"Hello list, this is $1." ".a line with a leading dot" "" >"$scratch/$1.eml"
}
delivered() { sql "SELECT count(*) FROM deliveries WHERE state = 'delivered'"; }
# until N deliveries are delivered (or SECONDS pass)
all_delivered() {
	i=0; limit=$(( $2 * 5 ))
	while [ $i -lt $limit ]; do
		[ "$(delivered)" -ge "$1" ] && return 0
		sleep 0.2; i=$((i + 1))
	done
	diag "delivered $(delivered) of $1"; return 1
}
msgs() { ls "$scratch/sink" | grep -c '\.env$'; }

# 1. alice (p=reject, signed by author.example, SPF pass): From munged.
post p1 "Alice Example <alice@author.example>" "munged post"
"$sealist" dkim sign --domain author.example --selector s1 --key "$scratch/author.pem" \
	<"$scratch/p1.eml" >"$scratch/p1.signed" && mv "$scratch/p1.signed" "$scratch/p1.eml"
# 2. bob (p=none): From kept.
post p2 "Bob <bob@relaxed.example>" "plain post"
t0=$(date +%s)
check "LMTP takes p1" sh -c "$send unix:$sock bounce@author.example '$scratch/p1.eml' dev@example.org --xforward ADDR=192.0.2.10 | grep -q ' 250 '"
check "LMTP takes p2" sh -c "$send unix:$sock bob@relaxed.example '$scratch/p2.eml' dev@example.org --xforward ADDR=198.51.100.5 | grep -q ' 250 '"
check "2,000 deliveries queued" sh -c "i=0; while [ \$i -lt 100 ]; do [ \"\$(sqlite3 '$db' 'SELECT count(*) FROM deliveries')\" -ge 2000 ] && exit 0; sleep 0.2; i=\$((i+1)); done; exit 1"
check "all 2,000 delivered" all_delivered 2000 120
diag "fan-out of 2 x $MEMBERS took $(( $(date +%s) - t0 )) s"
sleep 1
check "exactly 2,000 messages at the sink" [ "$(msgs)" = 2000 ]
check "no delivery failed or is pending" [ "$(sql "SELECT count(*) FROM deliveries WHERE state <> 'delivered' OR attempts <> 1 OR last_error IS NOT NULL")" = 0 ]
check "two outbound posts, 1,000 rows each" [ "$(sql "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM deliveries GROUP BY outbound_id)")" = "1000 1000" ]

sql "SELECT address FROM members" >"$scratch/members.db"
key=$(sql "SELECT hex(token_key) FROM lists")	# the only list
check "the list has a token key of 32 octets" [ "${#key}" = 64 ]

# The oracle: one Python process pool over all sink files; prints TAP-like
# "ok - WHAT" / "not ok - WHAT # DETAIL" lines that become checks here.
cat >"$scratch/verify.py" <<'EOF'
import base64, collections, glob, hashlib, hmac, os, random, re, sys, time
import urllib.parse
from multiprocessing import Pool
sys.dont_write_bytecode = True
sys.path.insert(0, os.environ["ORACLE_DIR"])
import oracle_lib
import dkim
from authheaders import dmarc_per_from

SINK, DNS, KEYHEX, MEMBERS = sys.argv[1:5]
MODE = sys.argv[5]              # "verp" or "batch"
FIRST = int(sys.argv[6])        # only sink messages numbered >= FIRST
SAMPLE = int(sys.argv[7])       # per post at most this many verified (0: all)
LIST, BASE = "dev@example.org", "https://lists.example.org"
KEY = bytes.fromhex(KEYHEX)
_cache = {}
_look = None


def dnsfunc(name, timeout=5):
    global _look
    if _look is None:
        _look = oracle_lib.dnsfunc(DNS)
    k = name if isinstance(name, str) else name.decode()
    if k not in _cache:
        _cache[k] = _look(name, timeout)
    return _cache[k]


def dnsfunc_str(name, timeout=5):
    """authheaders wants str answers, dkimpy bytes"""
    a = dnsfunc(name, timeout)
    return a.decode() if a is not None else None


_dmarc = {}


def dmarc_of(fdom, edom, dkim_result):
    """authheaders' verdict; it reloads the public suffix list on every
    call (~0.1 s), so once per distinct input rather than per message"""
    k = (fdom, edom, dkim_result)
    if k not in _dmarc:
        _dmarc[k] = dmarc_per_from(fdom, Spf("pass", edom), Dkim(dkim_result, "example.org"),
                                   dnsfunc=dnsfunc_str)[0]
    return _dmarc[k]


def token(member):
    local, _, dom = member.rpartition("@")
    canon = b"v1\0" + LIST.lower().encode() + b"\0" + (local + "@" + dom.lower()).encode()
    mac = hmac.new(KEY, canon, hashlib.sha256).digest()[:16]
    return "1." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def header(msg, name):
    hdr = msg.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
    hdr = re.sub(r"\r\n[ \t]+", " ", hdr)
    return [l.split(":", 1)[1].strip() for l in hdr.split("\r\n")
            if l.lower().startswith(name.lower() + ":")]


class Spf:
    def __init__(self, result, domain):
        self.result, self.smtp_mailfrom = result, "postmaster@" + domain


class Dkim:
    def __init__(self, result, domain):
        self.result, self.header_d = result, domain


def check(n):
    """Problems of sink message n (a list of strings), with its post and rcpts."""
    env = open(os.path.join(SINK, "%d.env" % n)).read().split("\n")
    msg = open(os.path.join(SINK, "%d.eml" % n), "rb").read()
    mfrom = env[0][5:]
    rcpts = [l[5:] for l in env[1:] if l.startswith("rcpt ")]
    mid = (header(msg, "Message-ID") or ["?"])[0]
    return mid, rcpts, mfrom, msg


def verify(n):
    mid, rcpts, mfrom, msg = check(n)
    bad = []
    # DKIM: both signatures by example.org, both pass
    sigs = []
    for idx, v in enumerate(header(msg, "DKIM-Signature")):
        tags = dict((k.strip(), re.sub(r"\s+", "", val)) for k, _, val in
                    (t.partition("=") for t in v.split(";") if "=" in t))
        ok = dkim.DKIM(msg, minkey=1024).verify(idx=idx, dnsfunc=dnsfunc)
        sigs.append((tags.get("a"), tags.get("d"), ok))
        h = [x.lower() for x in tags.get("h", "").split(":")]
        if "list-unsubscribe" not in h or (MODE == "verp" and "list-unsubscribe-post" not in h):
            bad.append("h= of %s lacks List-Unsubscribe(-Post): %s" % (tags.get("a"), tags.get("h")))
    algs = sorted(a for a, d, ok in sigs if ok and d == "example.org")
    if algs != ["ed25519-sha256", "rsa-sha256"]:
        bad.append("dkim: %s" % sigs)
    # ARC
    cv, _, comment = dkim.arc_verify(msg, dnsfunc=dnsfunc)
    cv = cv.decode() if isinstance(cv, bytes) else cv
    if cv.lower() != "pass":
        bad.append("arc cv=%s (%s)" % (cv, comment))
    # DMARC for From's domain, DKIM d=example.org and SPF as pass for the envelope domain
    frm = (header(msg, "From") or [""])[0]
    fdom = re.search(r"@([^>\s]+)", frm).group(1).lower()
    edom = mfrom.rpartition("@")[2].lower()
    dmarc = (dmarc_of(fdom, edom, "pass" if algs else "fail"), fdom)
    # List-Unsubscribe-Post
    # (RFC 8058 3.1: one-click only when the URL names the member)
    lup = header(msg, "List-Unsubscribe-Post")
    if lup != (["List-Unsubscribe=One-Click"] if MODE == "verp" else []):
        bad.append("List-Unsubscribe-Post: %s" % lup)
    lu = header(msg, "List-Unsubscribe")
    if len(lu) != 1:
        bad.append("%d List-Unsubscribe fields" % len(lu))
    if MODE == "verp":
        r = rcpts[0] if len(rcpts) == 1 else None
        if r is None:
            bad.append("not one recipient: %s" % rcpts)
        else:
            # VERP: dev-bounces+LOCAL=DOMAIN@example.org
            m = re.match(r"^dev-bounces\+(.*)=([^=@]*)@example\.org$", mfrom)
            if not m or m.group(1) + "@" + m.group(2) != r:
                bad.append("VERP %s does not decode to %s" % (mfrom, r))
            m = re.match(r"^<%s/lists/%s/unsubscribe/([^?>]+)\?a=([^>]+)>, <mailto:dev-leave@example\.org>$"
                         % (re.escape(BASE), re.escape(LIST)), lu[0] if lu else "")
            if not m:
                bad.append("List-Unsubscribe %s" % lu)
            else:
                if urllib.parse.unquote(m.group(2)) != r:
                    bad.append("?a=%s names not %s" % (m.group(2), r))
                if re.search(r"[^A-Za-z0-9%._~-]", m.group(2)):
                    bad.append("?a=%s not percent-encoded" % m.group(2))
                if m.group(1) != token(r):
                    bad.append("token %s, recomputed %s" % (m.group(1), token(r)))
    else:
        if mfrom != "dev-bounces@example.org":
            bad.append("envelope sender %s" % mfrom)
        if lu and "/unsubscribe/1." in lu[0]:
            bad.append("a personal token in a shared copy: %s" % lu[0])
    return n, mid, rcpts, bad, dmarc, frm


def main():
    members = open(MEMBERS).read().split()
    files = sorted(int(os.path.basename(f)[:-4]) for f in glob.glob(os.path.join(SINK, "*.env")))
    files = [n for n in files if n >= FIRST]
    posts = collections.defaultdict(list)
    for n in files:
        mid, rcpts, _, _ = check(n)
        posts[mid].append((n, rcpts))
    out = []
    for mid in sorted(posts):
        got = collections.Counter(r for _, rs in posts[mid] for r in rs)
        dup = [r for r, c in got.items() if c > 1]
        missing = set(members) - set(got)
        extra = set(got) - set(members)
        out.append((not dup and not missing and not extra,
                    "post %s: each of the %d members exactly once" % (mid, len(members)),
                    "dup %s missing %s extra %s" % (dup[:3], list(missing)[:3], list(extra)[:3])))
    todo = []
    rnd = random.Random(1)
    for mid in sorted(posts):
        ns = [n for n, _ in posts[mid]]
        todo += ns if not SAMPLE or len(ns) <= SAMPLE else rnd.sample(ns, SAMPLE)
    t0 = time.time()
    with Pool(max(2, os.cpu_count() or 2)) as p:
        results = p.map(verify, todo, chunksize=20)
    bad = [(n, mid, b) for n, mid, _, b, _, _ in results if b]
    out.append((not bad, "%d messages verified: DKIM rsa+ed25519 pass, ARC cv=pass, "
                "%s" % (len(results),
                "List-Unsubscribe and -Post signed, VERP and token name the recipient"
                if MODE == "verp" else "shared envelope, generic List-Unsubscribe signed, no -Post"),
                "; ".join("%d %s: %s" % x for x in bad[:3])))
    for mid in sorted(posts):
        dm = collections.Counter(d for _, m, _, _, d, _ in results if m == mid)
        frm = collections.Counter(f for _, m, _, _, _, f in results if m == mid)
        print("# %s: DMARC %s From %s" % (mid, dict(dm), dict(frm)))
        open(os.path.join(os.environ["OUT"], "dmarc." + mid.strip("<>")), "w").write(
            "%s\n%s\n" % (" ".join("%s:%s=%d" % (k[0], k[1], v) for k, v in dm.items()),
                          "\n".join(frm)))
    print("# verified %d messages in %.1f s" % (len(results), time.time() - t0))
    for good, what, why in out:
        print("%s - %s%s" % ("ok" if good else "not ok", what, "" if good else " # " + why))


main()
EOF
# oracle ARGS... -- run verify.py, turn its lines into checks
oracle() {
	ORACLE_DIR="$top_srcdir/tests/oracle" OUT="$scratch" $py "$scratch/verify.py" "$@" \
		>"$scratch/oracle.out" 2>"$scratch/oracle.err" || { not_ok "the oracle ran"; sed 's/^/# /' "$scratch/oracle.err" | tail -5; return; }
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "${line#ok - }" ;;
		"not ok - "*) not_ok "${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done <"$scratch/oracle.out"
}
# All 2,000: on 2 CPUs dkimpy takes about 7 s for them (DNS answers cached
# per process), well under the 60 s budget, so nothing is sampled.
oracle "$scratch/sink" "127.0.0.1:$dns_port" "$key" "$scratch/members.db" verp 1 0
check "p1: From munged to the list address" sh -c "grep -q '^\"Alice Example via [^\"]*\" <dev@example.org>' '$scratch/dmarc.p1@test'"
check "p1: DMARC pass for example.org on every copy (authheaders)" \
	[ "$(head -1 "$scratch/dmarc.p1@test")" = "pass:example.org=$MEMBERS" ]
check "p2: From kept (p=none author)" [ "$(sed -n 2p "$scratch/dmarc.p2@test")" = "Bob <bob@relaxed.example>" ]

# 3. verp = no, personalize = 0 (no CLI command sets a list setting: SQL, as
# tests/e2e/pipeline.sh does), max_rcpt_per_txn 100: batches.
kill "$daemon"
check "the daemon stops" wait_gone "$daemon" 10
write_conf no 100
sql "INSERT INTO list_settings (list_id, name, value) SELECT id, 'personalize', '0' FROM lists"
check "personalize = 0 shows" sh -c "'$sealist' -c '$scratch/sealist.conf' list show dev@example.org | grep -q '^ *personalize = 0'"
"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon2.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "restarted" wait_for "$scratch/daemon2.log" "served=yes" 10
sleep 0.5
post p3 "Bob <bob@relaxed.example>" "batched post"
check "LMTP takes p3" sh -c "$send unix:$sock bob@relaxed.example '$scratch/p3.eml' dev@example.org --xforward ADDR=198.51.100.5 | grep -q ' 250 '"
check "all 3,000 delivered" all_delivered 3000 60
sleep 1
txns=$(( $(msgs) - 2000 ))
# 4 workers each own a quarter of the rows (250): 100 + 100 + 50 each
check "p3 in $txns transactions (10 <= n <= 14)" [ "$txns" -ge 10 -a "$txns" -le 14 ]
check "no transaction over 100 recipients" sh -c "for f in '$scratch'/sink/*.env; do [ \$(grep -c '^rcpt ' \"\$f\") -le 100 ] || exit 1; done"
check "p3 rows delivered, one attempt" [ "$(sql "SELECT count(*) FROM deliveries WHERE outbound_id = (SELECT max(outbound_id) FROM deliveries) AND state = 'delivered' AND attempts = 1")" = $MEMBERS ]
oracle "$scratch/sink" "127.0.0.1:$dns_port" "$key" "$scratch/members.db" batch 2001 0
check "p3: the copies are byte-identical" [ "$(for f in $(ls "$scratch"/sink/*.eml | awk -F/ '{ n = $NF; sub(/\.eml/, "", n); if (n + 0 > 2000) print $0 }'); do md5sum <"$f"; done | sort -u | wc -l)" = 1 ]
kill "$daemon"
wait_gone "$daemon" 10
tap_done
