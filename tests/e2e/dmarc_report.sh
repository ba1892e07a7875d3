#!/bin/sh
# NAME
#	dmarc_report.sh
# SUMMARY
#	end-to-end test of sealist dmarc-report import and summary
# DESCRIPTION
#	Drives the built src/sealist with a temporary configuration and
#	database over the corpus tests/data/dmarc-reports (DMARCREP_CORPUS
#	overrides it):
#	  - every report of its MANIFEST imports, and the database holds the
#	    MANIFEST's records, messages, policy domain and schema for it
#	    (read back with sqlite3);
#	  - importing them all again adds nothing (a dump of the database is
#	    the same) and says "duplicate";
#	  - each hostile input (the corpus's hostile/ and more made here: an
#	    XXE, billion laughs, 10,000 levels of nesting, a truncated gzip, a
#	    zip bomb of 1 GiB, not XML at all, no report, over 16 MiB) is
#	    refused with its reason, in bounded time and memory (the peak
#	    measured with Python's resource module), kept aside by size and
#	    SHA-256, and
#	    nothing else in the database changes (a dump without
#	    dmarc_report_rejects, before and after);
#	  - the summary prints, per domain, org and source IP, the figures
#	    that /usr/bin/python3 works out from the XML itself with the
#	    standard library (not with our parser), with outbound_ips marked.
#	Prints TAP.
. "${top_srcdir:-.}/tests/lib.sh"

SEALIST=$top_builddir/src/sealist
C=${DMARCREP_CORPUS:-$top_srcdir/tests/data/dmarc-reports}
PY=/usr/bin/python3
T=$scratch
DB=$T/sealist.db
# Google's and the test's own addresses as the list server's.
OUTBOUND="192.0.2.0/28 2a00:1450::/32"
printf 'database = %s\noutbound_ips = %s\n' "$DB" "$OUTBOUND" > "$T/sealist.conf"
SEALIST_CONF=$T/sealist.conf
export SEALIST_CONF
need_tools sqlite3 "$PY" sha256sum

run() {			# run ARGS...: stdout in $T/out, stderr in $T/err, status in $rc
	"$SEALIST" "$@" > "$T/out" 2> "$T/err"
	rc=$?
}
show_fail() {
	sed 's/^/#   stdout: /' "$T/out" | head -5
	sed 's/^/#   stderr: /' "$T/err" | head -5
}
expect() {		# expect WHAT STATUS: $rc must be STATUS
	if [ "$rc" -eq "$2" ]; then ok "$1 (exit $2)"; else not_ok "$1 (exit $rc, want $2)"; show_fail; fi
}
sql() {
	sqlite3 -batch -noheader "$DB" "$1"
}
q() {			# q TEXT: TEXT as an SQL string literal
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"
}
# dump FILE: the database without the refused reports' rows
dump() {
	sqlite3 "$DB" .dump | grep -v 'dmarc_report_rejects' > "$1"
}

if [ ! -f "$C/MANIFEST" ]; then
	not_ok "the corpus is at $C"
	tap_done
	exit 1
fi
grep -v '^#' "$C/MANIFEST" | grep -v '^$' > "$T/manifest"
n=$(wc -l < "$T/manifest" | tr -d ' ')
check "the MANIFEST lists at least 15 reports ($n)" test "$n" -ge 15

# 1. Import every report of the MANIFEST, one command.
set --
while IFS='|' read -r file org rid recs msgs dom schema fmt; do
	set -- "$@" "$C/$file"
done < "$T/manifest"
run dmarc-report import "$@"
expect "import the corpus" 0
while IFS='|' read -r file org rid recs msgs dom schema fmt; do
	if grep -F -q -x -- "$C/$file: imported $org $rid ($recs record$( [ "$recs" = 1 ] || echo s), $msgs message$( [ "$msgs" = 1 ] || echo s))" "$T/out"; then
		ok "$file: says imported with $recs records, $msgs messages"
	else
		not_ok "$file: says imported with $recs records, $msgs messages"
		grep -F -- "$C/$file:" "$T/out" | sed 's/^/#   got: /'
	fi
	got=$(sql "SELECT (SELECT count(*) FROM dmarc_report_records c WHERE c.report_id = r.id)
		|| '|' || (SELECT coalesce(sum(count), 0) FROM dmarc_report_records c WHERE c.report_id = r.id)
		|| '|' || policy_domain || '|' || schema || '|' || source
		FROM dmarc_reports r WHERE org_name = $(q "$org") AND report_id = $(q "$rid")")
	want="$recs|$msgs|$dom|$schema|file:$C/$file"
	if [ "$got" = "$want" ]; then
		ok "$file: stored $recs records, $msgs messages, $dom, schema $schema"
	else
		not_ok "$file: stored \"$got\", want \"$want\""
	fi
done < "$T/manifest"
check "one row per report" test "$(sql 'SELECT count(*) FROM dmarc_reports')" -eq "$n"
check "no rejects" test "$(sql 'SELECT count(*) FROM dmarc_report_rejects')" -eq 0

# 2. Again: nothing is added.
dump "$T/dump.1"
run dmarc-report import "$@"
expect "import the corpus again" 0
dups=$(grep -c ': duplicate .*, nothing added$' "$T/out")
check "every report says duplicate ($dups of $n)" test "$dups" -eq "$n"
dump "$T/dump.2"
check "the database is the same after the re-import" cmp -s "$T/dump.1" "$T/dump.2"

# 3. Hostile inputs.  Made here (names: the reason's expected words).
H=$T/hostile
mkdir "$H"
"$PY" - "$H" <<'EOF'
import gzip, io, os, sys, zipfile, zlib
h = sys.argv[1]
def w(name, data):
    with open(os.path.join(h, name), "wb") as f:
        f.write(data)
rep = (b'<?xml version="1.0"?>\n<feedback><report_metadata><org_name>x</org_name>'
       b'<email>a@b</email><report_id>%s</report_id><date_range><begin>1</begin>'
       b'<end>2</end></date_range></report_metadata><policy_published><domain>example.org'
       b'</domain><p>none</p></policy_published>%s</feedback>\n')
rec = (b'<record><row><source_ip>%s</source_ip><count>1</count><policy_evaluated>'
       b'<disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated>'
       b'</row><identifiers><header_from>example.org</header_from></identifiers>'
       b'<auth_results><spf><domain>example.org</domain><result>pass</result></spf>'
       b'</auth_results></record>')
w("xxe-file.xml", b'<?xml version="1.0"?>\n<!DOCTYPE feedback [<!ENTITY x SYSTEM '
  b'"file:///etc/passwd">]>\n' + (rep % (b'xxe', rec % b'192.0.2.1')).split(b'\n', 1)[1]
  .replace(b'<org_name>x</org_name>', b'<org_name>&x;</org_name>'))
lol = b''.join(b'<!ENTITY l%d "%s">' % (i, b'&l%d;' % (i - 1) * 10 if i else b'lol')
               for i in range(10))
w("laughs-doctype.xml", b'<?xml version="1.0"?>\n<!DOCTYPE feedback [' + lol + b']>\n'
  + (rep % (b'&l9;', rec % b'192.0.2.1')).split(b'\n', 1)[1])
w("deep-nesting.xml", b'<?xml version="1.0"?>\n<feedback>' + b'<a>' * 10000 + b'</a>' * 10000
  + b'</feedback>\n')
good = rep % (b'trunc', rec % b'192.0.2.1' * 50)
w("truncated-gzip.xml.gz", gzip.compress(good)[:-30])
# 1 GiB of zeros after a report's first bytes, deflated (about 1 MB).
z = zlib.compressobj(9, zlib.DEFLATED, -15)
body = [z.compress(good[:200])]
chunk = b'\0' * (1 << 20)
for _ in range(1024):
    body.append(z.compress(chunk))
body.append(z.flush())
raw = b''.join(body)
crc = zlib.crc32(good[:200])
for _ in range(1024):
    crc = zlib.crc32(chunk, crc)
size = 200 + (1 << 30)
# A hand-made zip: one deflated entry whose sizes say 1 GiB.
import struct
name = b"bomb.xml"
local = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0, crc, len(raw), size & 0xffffffff,
                    len(name), 0) + name
central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0, crc, len(raw),
                      size & 0xffffffff, len(name), 0, 0, 0, 0, 0, 0) + name
end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 1, 1, len(central), len(local) + len(raw), 0)
w("zip-bomb-1gib.zip", local + raw + central + end)
w("not-xml.bin", bytes(range(256)) * 16)
w("not-a-report.xml", b'<?xml version="1.0"?>\n<html><body>hello</body></html>\n')
w("bad-source-ip.xml", rep % (b'badip', rec % b'192.0.2.300'))
w("empty.xml", b'')
# Parses, but the store refuses a count no receiver could have seen.
w("huge-count.xml", rep % (b'huge', rec.replace(b'<count>1</count>', b'<count>2000000000000</count>')
                    % b'192.0.2.1'))
# More than the 16 MiB a report may be packed.
w("too-big.xml", rep % (b'big', rec % b'192.0.2.1') + b' ' * (17 << 20))
EOF
for f in "$C"/hostile/*; do
	[ -f "$f" ] && cp "$f" "$H/corpus-$(basename "$f")"
done
# rss ARGS...: run sealist like run(), its peak memory (KiB) in $T/rss.
rss() {
	"$PY" -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:], stdout=open(sys.argv[1] + "/out", "wb"),
                     stderr=open(sys.argv[1] + "/err", "wb"))
open(sys.argv[1] + "/rss", "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$T" "$SEALIST" "$@"
	rc=$?
}
# The XML is capped at 64 MiB: a bomb may cost that and the buffers, not 1 GiB.
RSS_MAX=262144
dump "$T/dump.before"
rejects=0
for f in "$H"/*; do
	name=$(basename "$f")
	start=$(date +%s)
	rss dmarc-report import "$f"
	took=$(( $(date +%s) - start ))
	expect "$name: refused" 1
	kib=$(cat "$T/rss")
	check "$name: in bounded memory ($kib KiB)" test "$kib" -le "$RSS_MAX"
	line=$(grep -F -- "$f: refused: " "$T/out")
	reason=${line#"$f: refused: "}
	reason=${reason%" (kept aside)"}
	if [ -n "$line" ] && [ -n "$reason" ] && [ "$reason" != "$line" ]; then
		ok "$name: refused with a reason: $reason"
		rejects=$((rejects + 1))
	else
		not_ok "$name: says \"FILE: refused: REASON (kept aside)\""
		show_fail
	fi
	check "$name: in bounded time ($took s)" test "$took" -le 20
	if [ "$name" = too-big.xml ]; then
		# Only the first 16 MiB + 1 octets are read: their size and hash.
		sum=$(head -c 16777217 "$f" | sha256sum | cut -c1-64)
		size=16777217
	else
		sum=$(sha256sum < "$f" | cut -c1-64)
		size=$(wc -c < "$f" | tr -d ' ')
	fi
	got=$(sql "SELECT size || ' ' || sha256 || ' ' || (reason = $(q "$reason")) FROM dmarc_report_rejects
		WHERE source = $(q "file:$f") ORDER BY id DESC LIMIT 1")
	if [ "$got" = "$size $sum 1" ]; then
		ok "$name: kept aside with its reason, size and SHA-256"
	else
		not_ok "$name: kept aside as \"$got\", want \"$size $sum 1\""
	fi
	case $name in
	xxe-*|laughs-*)	want="DOCTYPE" ;;
	deep-*)		want="nesting" ;;
	truncated-*)	want="gzip" ;;
	zip-bomb-*)	want="size" ;;
	not-xml*)	want="not a report" ;;
	not-a-report*)	want="not a DMARC aggregate report" ;;
	bad-source-ip*)	want="source_ip" ;;
	too-big*)	want="over 16 MiB packed" ;;
	huge-count*)	want="count 2000000000000 out of range" ;;
	*)		want="" ;;
	esac
	if [ -n "$want" ]; then
		case $reason in
		*"$want"*) ok "$name: the reason says \"$want\"" ;;
		*) not_ok "$name: the reason \"$reason\" does not say \"$want\"" ;;
		esac
	fi
done
dump "$T/dump.after"
check "hostile inputs change nothing else in the database" cmp -s "$T/dump.before" "$T/dump.after"
check "each one is kept aside ($rejects)" \
	test "$(sql 'SELECT count(*) FROM dmarc_report_rejects')" -eq "$rejects"
check "/etc/passwd is nowhere in the database" \
	sh -c "! sqlite3 '$DB' .dump | grep -q 'root:'"

# A mix: the good ones go in, the exit status says one was refused.
cp "$C/$(head -1 "$T/manifest" | cut -d'|' -f1)" "$T/again.xml" 2>/dev/null || true
run dmarc-report import "$H/not-xml.bin" "$T/again.xml"
expect "a refused file among others: exit 1" 1
check "the others are still tried" grep -F -q "$T/again.xml: duplicate" "$T/out"
run dmarc-report import "$T/nosuch.xml"
expect "a missing file" 1
check "says it cannot be opened" grep -F -q "cannot open $T/nosuch.xml" "$T/err"

# 4. The summary against the XML, read by Python's standard library.
NOW=1700092800		# the corpus's reports end at 1700092799
cat > "$T/expect.py" <<'EOF'
# expect.py CORPUS MANIFEST NOW DAYS OUTBOUND SUMMARY-OUTPUT [DOMAIN]
import gzip, io, ipaddress, sys, zipfile
import xml.etree.ElementTree as ET
corpus, manifest, now, days, outbound, output = sys.argv[1:7]
only = sys.argv[7].lower() if len(sys.argv) > 7 else None
since = int(now) - int(days) * 86400
nets = [ipaddress.ip_network(n, strict=False) for n in outbound.split()]
def marked(ip):
    a = ipaddress.ip_address(ip)
    if a.version == 6 and a.ipv4_mapped is not None:
        a = a.ipv4_mapped
    return any(a.version == n.version and a in n for n in nets)
# the reading of the files is tests/oracle/dmarc_week.py's (PYTHONPATH)
from dmarc_week import xml_of, local, child, text
rows = {}
for line in open(manifest, encoding='utf-8'):
    f = line.rstrip('\n').split('|')[0]
    root = ET.fromstring(xml_of(open(corpus + '/' + f, 'rb').read()))
    org = text(root, 'report_metadata', 'org_name')
    dom = text(root, 'policy_published', 'domain').lower()
    end = int(text(root, 'report_metadata', 'date_range', 'end'))
    if end < since or (only and dom != only):
        continue
    for rec in root:
        if local(rec.tag) != 'record':
            continue
        ip = text(rec, 'row', 'source_ip')
        n = int(text(rec, 'row', 'count'))
        pe = child(child(rec, 'row'), 'policy_evaluated')
        dk, sp, disp = (text(pe, x).lower() for x in ('dkim', 'spf', 'disposition'))
        r = rows.setdefault((dom, org, ip), [0] * 8)
        for i, v in enumerate((n, n * (dk == 'pass'), n * (sp == 'pass'),
                               n * (dk == 'pass' or sp == 'pass'), n * (disp == 'none'),
                               n * (disp == 'pass'), n * (disp == 'quarantine'),
                               n * (disp == 'reject'))):
            r[i] += v
def pct(a, b):
    return '-' if b == 0 else '%.1f%%' % (100.0 * a / b)
want = []
for (dom, org, ip), r in sorted(rows.items(),
                                key=lambda kv: (kv[0][0], kv[0][1].lower(), kv[0][1], -kv[1][0], kv[0][2])):
    want.append(' '.join([dom, org, '*' if marked(ip) else '-', ip, str(r[0]),
                          pct(r[1], r[0]), pct(r[2], r[0]), pct(r[3], r[0])]
                         + [str(x) for x in r[4:]]))
# The CLI's table: "DOMAIN: reports ...", "  ORG", "  * IP NUMBERS" / "    IP NUMBERS".
got, dom, org = [], None, None
for line in open(output, encoding='utf-8'):
    line = line.rstrip('\n')
    if not line or line.startswith('    SOURCE IP') or line.startswith('* = ') \
            or line.startswith('! = '):
        continue
    if not line.startswith(' '):
        dom = line.split(':', 1)[0]
    elif line.startswith('  * ') or line.startswith('    '):
        f = line[4:].split()
        got.append(' '.join([dom, org, '*' if line[2] == '*' else '-'] + f))
    else:
        org = line[2:].split('  ! ')[0]   # the mark of unauthenticated report mail
ok = got == want
print('%d rows expected, %d printed' % (len(want), len(got)))
for w in want:
    if w not in got:
        print('missing: ' + w)
for g in got:
    if g not in want:
        print('unexpected: ' + g)
if ok is False and sorted(got) == sorted(want):
    print('same rows, other order')
sys.exit(0 if ok and want else 1)
EOF
summary() {		# summary WHAT DAYS [DOMAIN]
	run dmarc-report summary ${3:+"$3"} --days "$2" --now "$NOW"
	expect "summary $1" 0
	if PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$top_srcdir/tests/oracle" "$PY" "$T/expect.py" "$C" "$T/manifest" "$NOW" \
		"$2" "$OUTBOUND" "$T/out" ${3:+"$3"} \
		> "$T/py" 2>&1; then
		ok "summary $1: the figures of the XML ($(head -1 "$T/py"))"
	else
		not_ok "summary $1: the figures of the XML"
		sed 's/^/#   /' "$T/py" | head -20
	fi
}
summary "of example.org over 7 days" 7 example.org
summary "of EXAMPLE.ORG (any case)" 7 EXAMPLE.ORG
summary "of every domain" 7
check "outbound_ips are marked" grep -q '^  \* ' "$T/out"
check "the mark is explained" grep -q '^\* = outbound_ips' "$T/out"
summary "of lists.example.org over a day" 1 lists.example.org
run dmarc-report summary example.org --days 7 --now $((NOW + 30 * 86400))
expect "summary a month later" 0
check "says there are no reports" grep -F -q "no DMARC aggregate reports about example.org ending in the last 7 days" "$T/out"
run dmarc-report summary --days 0
expect "--days 0 is a usage error" 2
run dmarc-report summary a b
expect "two domains are a usage error" 2

tap_done
