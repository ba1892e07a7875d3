#!/bin/sh
# NAME
#	dmarc_send.sh
# SUMMARY
#	end-to-end test of the DMARC aggregate reports sealist sends
# DESCRIPTION
#	The real sealistd takes a scripted day of posts over LMTP (XFORWARD
#	ADDR, IPv4 and IPv6 sources) for three lists of lists.example.org,
#	with DNS from dnsmasq on loopback:
#	  a.example  p=reject rua=mailto:agg@a.example, DKIM key published:
#	             signed posts (DMARC pass, From munged: mailing_list),
#	             forged unsigned ones (DMARC fail: held on dev ->
#	             quarantine, rejected on strict -> reject), and one to
#	             quiet, whose dmarc_aggregate_reports is 0 (not counted);
#	  b.example  p=quarantine without rua: nothing is recorded or sent;
#	  c.example  rua at third.example, which publishes no _report._dmarc
#	             record: nothing sent, and a log line says why;
#	  d.example  rua at vendor.example, which authorizes it: sent there;
#	  e.example  two rua URIs of its own domain: two copies;
#	  f.example  rua at vendor.test, which DNS cannot answer for: the
#	             report waits for the next pass, and a day after the
#	             interval's end it is given up with a log line.
#	Then `sealist dmarc-report send --now` (two days later: the UTC day is
#	over), first with --dry-run (prints, changes nothing), and the daemon
#	delivers the reports to tests/tools/smtp_sink.py.  Each report mail is
#	checked with /usr/bin/python3 (stdlib email, gzip, re; dkimpy):
#	Subject against RFC 9990's ABNF, Message-ID = the Subject's Report-ID
#	= the XML's report_id, the attachment's type and filename (ABNF, the
#	XML's dates), the gunzipped XML against RFC 9990 Appendix A with
#	xmllint --schema, its records' counts, dispositions and reasons
#	against what this script posted (counted here as it posts), and
#	dkimpy verifies the DKIM signature with d= the list domain = From's
#	domain.  A second send adds nothing; with dmarc_reports_send = no a
#	post is not recorded and nothing is sent.  Last, the daemon's own
#	pass: a recorded post moved two days back (the daemon's clock cannot
#	be set) is reported by the restarted daemon when it is first idle,
#	and delivered.  Prints TAP.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
send="$py $top_srcdir/tests/tools/lmtp_send.py"
sink="$top_srcdir/tests/tools/smtp_sink.py"
xsd="$top_srcdir/tests/data/dmarc-aggregate-9990.xsd"
zone=$scratch/zone.txt
expect=$scratch/expect.txt	# DOMAIN|SOURCE_IP|DISPOSITION|REASON: one line per counted post
dests=$scratch/dests.txt	# DOMAIN|ADDRESS: one line per report mail expected

if ! command -v sqlite3 >/dev/null || ! command -v openssl >/dev/null \
   || ! command -v xmllint >/dev/null || ! $py -c 'import dkim, dns.resolver' 2>/dev/null; then
	not_ok "sqlite3, openssl, xmllint and /usr/bin/python3 with python3-dkim, -dnspython"
	tap_done
	exit 1
fi

db=$scratch/sealist.db
sock=$scratch/lmtp.sock
write_conf() {	# write_conf yes|no
	cat >"$scratch/sealist.conf" <<CONF
database = $db
keys_dir = $scratch/keys
lmtp_listen = unix:$sock
web_listen =
dns_nameserver = 127.0.0.1:${dns_port:-53}
authserv_id = lists.test
templates_dir = $top_srcdir/templates
pipeline_workers = 1
log_level = info
smtp_relay = smtp://127.0.0.1:${sink_port:-25}
smtp_starttls = off
retry_schedule = 1s
max_queue_lifetime = 1h
dmarc_reports_send = $1
CONF
}
write_conf yes
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 "$db" "$1"; }

# -- keys and the zone ------------------------------------------------------------
: >"$zone"
record() { printf '%s TXT "%s"\n' "$1" "$2" >>"$zone"; }
check "an RSA key for lists.example.org" sh -c "'$sealist' -c '$scratch/sealist.conf' key generate lists.example.org >/dev/null"
cli key dns lists.example.org | awk '/^[^ \t]/ { if (l != "") print l; l = $0; next }
	{ l = l " " $0 } END { if (l != "") print l }' >>"$zone"
p=$(dkim_keygen "$scratch/author.pem" rsa) || exit 1
for d in a b c d e f; do
	record "s1._domainkey.$d.example" "v=DKIM1; k=rsa; p=$p"
	record "$d.example" "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"
done
record _dmarc.a.example "v=DMARC1; p=reject; rua=mailto:agg@a.example"
record _dmarc.b.example "v=DMARC1; p=quarantine"
record _dmarc.c.example "v=DMARC1; p=reject; rua=mailto:dmarc@third.example"
record _dmarc.d.example "v=DMARC1; p=none; rua=mailto:r@vendor.example"
record d.example._report._dmarc.vendor.example "v=DMARC1"
# a comma cannot go through dnsmasq's command line (dnsmasq_args.py): a conf file keeps it
printf '%s\n' 'txt-record=_dmarc.e.example,"v=DMARC1; p=quarantine; rua=mailto:one@e.example,mailto:two@e.example!10m"' >"$scratch/dns-e.conf"
record _dmarc.f.example "v=DMARC1; p=reject; rua=mailto:r@vendor.test"
record _dmarc.lists.example.org "v=DMARC1; p=none"
check "dnsmasq serves the zone" dnsmasq_zone dns "$zone" --local=/example/ --local=/example.org/ --conf-file="$scratch/dns-e.conf"
dns_port=$port

mkdir -p "$scratch/sink"
$py "$sink" --dir "$scratch/sink" >"$scratch/sink.out" 2>"$scratch/sink.err" &
at_exit "kill $! 2>/dev/null"
check "the sink listens" wait_for "$scratch/sink.out" '^port ' 10
sink_port=$(awk '/^port /{print $2}' "$scratch/sink.out")
write_conf yes

# -- the lists: dev holds DMARC failures, strict rejects them, quiet is not counted --
check "list dev" cli list create dev@lists.example.org --owner boss@lists.example.org
check "list strict" cli list create strict@lists.example.org --owner boss@lists.example.org
check "list quiet" cli list create quiet@lists.example.org --owner boss@lists.example.org
check "dev: six members" cli member add dev@lists.example.org alice@a.example bob@b.example \
	carol@c.example dan@d.example erin@e.example fay@f.example
check "strict and quiet: alice" sh -c "'$sealist' -c '$scratch/sealist.conf' member add strict@lists.example.org alice@a.example \
	&& '$sealist' -c '$scratch/sealist.conf' member add quiet@lists.example.org alice@a.example"
printf "dmarc_fail_action = 'reject'\n" >"$scratch/strict.py"
check "strict: dmarc_fail_action reject (config import)" cli config import strict@lists.example.org -i "$scratch/strict.py"
printf "dmarc_aggregate_reports = 0\n" >"$scratch/quiet.py"
check "quiet: dmarc_aggregate_reports 0 (config import)" cli config import quiet@lists.example.org -i "$scratch/quiet.py"
check "config export shows the setting" sh -c "'$sealist' -c '$scratch/sealist.conf' config export quiet@lists.example.org | grep -q '^dmarc_aggregate_reports = 0'"

"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "the daemon serves LMTP" wait_for "$scratch/daemon.log" "service=lmtp listen=unix:$sock served=yes"

# -- the posts --------------------------------------------------------------------
n=0
# post LIST FROM ENVFROM IP SIGN -- one post over LMTP; SIGN yes: DKIM-signed by FROM's domain
post() {
	n=$((n + 1))
	dom=${2#*@}
	printf '%s\r\n' "From: $2" "To: $1" "Subject: post $n" \
		"Date: Fri, 27 Nov 2026 10:00:00 +0000" "Message-ID: <p$n@test>" \
		"MIME-Version: 1.0" "Content-Type: text/plain; charset=us-ascii" "" \
		"Hello list, this is post $n." "" >"$scratch/p$n.eml"
	if [ "$5" = yes ]; then
		"$sealist" dkim sign --domain "$dom" --selector s1 --key "$scratch/author.pem" \
			<"$scratch/p$n.eml" >"$scratch/p$n.signed" && mv "$scratch/p$n.signed" "$scratch/p$n.eml"
	fi
	$send "unix:$sock" "$3" "$scratch/p$n.eml" "$1" --xforward "ADDR=$4" | grep -q ' 250 '
}
counted() { echo "$1|$2|$3|$4" >>"$expect"; }	# DOMAIN IP DISPOSITION REASON
# the posts must fall in one UTC day: close to midnight, wait for it to pass
left=$(( 86400 - $(date +%s) % 86400 ))
[ "$left" -lt 90 ] && sleep $((left + 1))
: >"$expect"
dev=dev@lists.example.org strict=strict@lists.example.org quiet=quiet@lists.example.org
check "a: signed post to dev (IPv4)" post $dev alice@a.example alice@a.example 192.0.2.10 yes
counted a.example 192.0.2.10 pass mailing_list
check "a: another from the same source" post $dev alice@a.example alice@a.example 192.0.2.10 yes
counted a.example 192.0.2.10 pass mailing_list
check "a: signed post to dev (IPv6)" post $dev alice@a.example alice@a.example 2001:db8::a yes
counted a.example 2001:db8::a pass mailing_list
check "a: signed post to strict" post $strict alice@a.example alice@a.example 192.0.2.10 yes
counted a.example 192.0.2.10 pass mailing_list
check "a: forged post to dev (held)" post $dev alice@a.example forger@evil.example 203.0.113.66 no
counted a.example 203.0.113.66 quarantine ""
check "a: forged post to strict (rejected)" post $strict alice@a.example forger@evil.example 203.0.113.66 no
counted a.example 203.0.113.66 reject ""
check "a: forged IPv6 post to dev (held)" post $dev alice@a.example forger@evil.example 2001:db8:bad::1 no
counted a.example 2001:db8:bad::1 quarantine ""
check "a: signed post to quiet (not counted)" post $quiet alice@a.example alice@a.example 192.0.2.10 yes
check "b: signed post (no rua)" post $dev bob@b.example bob@b.example 192.0.2.20 yes
check "c: signed post (rua unverified)" post $dev carol@c.example carol@c.example 192.0.2.30 yes
counted c.example 192.0.2.30 pass mailing_list
check "d: signed post (rua authorized)" post $dev dan@d.example dan@d.example 192.0.2.40 yes
counted d.example 192.0.2.40 none ""
check "e: signed post (two rua)" post $dev erin@e.example erin@e.example 2001:db8::e yes
counted e.example 2001:db8::e pass mailing_list
check "f: signed post (rua's host unresolvable for now)" post $dev fay@f.example fay@f.example 192.0.2.60 yes
counted f.example 192.0.2.60 pass mailing_list
printf '%s\n' "a.example|agg@a.example" "d.example|r@vendor.example" \
	"e.example|one@e.example" "e.example|two@e.example" >"$dests"

settled() {	# every post decided
	i=0
	while [ $i -lt 150 ]; do
		[ "$(sql "SELECT count(*) FROM inbox WHERE state = 'done'")" -ge "$n" ] && return 0
		sleep 0.2; i=$((i + 1))
	done
	diag "$(sql "SELECT id, state FROM inbox WHERE state <> 'done'")"; return 1
}
check "all $n posts decided" settled
check "the forged posts: 2 held, 1 rejected" [ "$(sql "SELECT group_concat(state, ' ') FROM (SELECT state FROM inbox_rcpt WHERE role = 'post' AND state IN ('held', 'rejected') ORDER BY state)")" = "held held rejected" ]
check "one feedback row per counted post ($(wc -l <"$expect"))" [ "$(sql "SELECT count(*) FROM dmarc_feedback")" = "$(wc -l <"$expect" | tr -d ' ')" ]
check "no feedback for b.example (no rua)" [ "$(sql "SELECT count(*) FROM dmarc_feedback WHERE policy_domain = 'b.example'")" = 0 ]
check "no feedback for the quiet list" [ "$(sql "SELECT count(*) FROM dmarc_feedback f JOIN lists l ON l.id = f.list_id WHERE l.local_part = 'quiet'")" = 0 ]

# -- the pass ---------------------------------------------------------------------
# a day on: today's UTC day has ended, and less than a day has passed since
now=$(( $(date +%s) + 86400 ))
# the daemon is delivering meanwhile: the dump is of what a pass writes
mine() { sqlite3 "$db" ".dump dmarc_feedback dmarc_sent_reports" >"$1"; sql "SELECT count(*) FROM outbound" >>"$1"; }
mine "$scratch/dump.1"
cli dmarc-report send --now $now --dry-run >"$scratch/dry.out" 2>"$scratch/dry.err"
check "dry run exits 0" [ $? = 0 ]
mine "$scratch/dump.2"
check "dry run changes nothing" cmp -s "$scratch/dump.1" "$scratch/dump.2"
check "dry run counts 4 reports, 4 mails, 1 postponed" grep -q '^dry run: 4 reports and 4 mails would be made, 1 postponed' "$scratch/dry.out"
check "dry run names agg@a.example" grep -q 'domain=a.example to=agg@a.example' "$scratch/dry.out"
check "dry run says why not third.example" grep -q 'event=dmarc_report_refused domain=c.example uri=mailto:dmarc@third.example query=c.example._report._dmarc.third.example' "$scratch/dry.out"

before=$(ls "$scratch/sink" | grep -c '\.env$')
cli dmarc-report send --now $now >"$scratch/send.out" 2>"$scratch/send.err"
check "send exits 0" [ $? = 0 ]
check "send: 4 reports, 4 mails, f.example's postponed" grep -q '^4 reports, 4 mails queued, 1 postponed' "$scratch/send.out"
check "the log says f.example's destination did not resolve" grep -q 'event=dmarc_report_dns domain=f.example uri=mailto:r@vendor.test' "$scratch/send.err"
check "the log says why c.example's report is not sent" grep -q 'event=dmarc_report_refused domain=c.example uri=mailto:dmarc@third.example query=c.example._report._dmarc.third.example dns=nxdomain result=refused' "$scratch/send.err"
check "the feedback rows are gone with their reports, f.example's wait" [ "$(sql "SELECT group_concat(policy_domain) FROM dmarc_feedback")" = f.example ]
check "four reports recorded, c.example's without destination" [ "$(sql "SELECT group_concat(policy_domain || ':' || replace(destinations, char(10), ' '), ',') FROM (SELECT * FROM dmarc_sent_reports ORDER BY policy_domain)")" = "a.example:agg@a.example ,c.example:,d.example:r@vendor.example ,e.example:one@e.example two@e.example " ]
reports() { grep -l '^Subject: Report Domain:' "$scratch"/sink/*.eml 2>/dev/null | wc -l; }
arrived() {
	i=0
	while [ $i -lt 150 ]; do
		[ "$(reports)" -ge 4 ] && return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}
check "the daemon delivers 4 report mails" arrived

# -- the oracle ---------------------------------------------------------------------
cat >"$scratch/verify.py" <<'EOF'
import collections, email, email.policy, glob, gzip, os, re, subprocess, sys
import dkim
sys.path.insert(0, os.environ["ORACLE_DIR"])
import oracle_lib

SINK, DNS, XSD, EXPECT, DESTS = sys.argv[1:6]
LISTDOM = "lists.example.org"
NS = "{urn:ietf:params:xml:ns:dmarc-2.0}"
look = oracle_lib.dnsfunc(DNS)
# RFC 9990 3.5.2: dot-atom-text ["@" dot-atom-text] for the id
ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
RIDFMT = ATEXT + r"(?:\." + ATEXT + r")*(?:@" + ATEXT + r"(?:\." + ATEXT + r")*)?"
SUBJECT = re.compile(r"^Report Domain: (\S+) Submitter: (\S+) Report-ID: <(" + RIDFMT + r")>$")
FILENAME = re.compile(r"^([A-Za-z0-9.-]+)!([A-Za-z0-9.-]+)!([0-9]+)!([0-9]+)(?:![A-Za-z0-9]+)?\.xml\.gz$")

def say(cond, what):
    print(("ok" if cond else "not ok") + "\t" + what)

want = collections.defaultdict(collections.Counter)
for line in open(EXPECT):
    dom, ip, disp, reason = line.rstrip("\n").split("|")
    want[dom][(ip, disp, reason)] += 1
want_dests = collections.Counter(tuple(l.strip().split("|")) for l in open(DESTS) if l.strip())
got_dests = collections.Counter()

import xml.etree.ElementTree as ET
for path in sorted(glob.glob(os.path.join(SINK, "*.eml"))):
    raw = open(path, "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.compat32)
    subj = m.get("Subject", "")
    if not subj.startswith("Report Domain:"):
        continue
    rcpts = [l.split(" ", 1)[1].strip() for l in open(path[:-4] + ".env") if l.startswith("rcpt ")]
    name = os.path.basename(path)
    unfolded = re.sub(r"\r?\n[ \t]", " ", subj)
    sm = SUBJECT.match(unfolded)
    say(sm is not None, "%s: Subject matches RFC 9990's ABNF: %r" % (name, unfolded))
    if sm is None:
        continue
    dom, submitter, rid = sm.groups()
    for r in rcpts:
        got_dests[(dom, r)] += 1
    say(all(len(l) <= 78 for l in raw.split(b"\r\n\r\n")[0].split(b"\r\n")), "%s: header lines fit in 78" % name)
    say(submitter == LISTDOM, "%s: Submitter is the list domain" % name)
    say(m.get("Message-ID", "").strip() == "<%s>" % rid, "%s: Message-ID is the Report-ID" % name)
    say(m.get("Auto-Submitted", "") == "auto-generated", "%s: Auto-Submitted" % name)
    fromdom = email.utils.parseaddr(m.get("From", ""))[1].rpartition("@")[2]
    sig = m.get("DKIM-Signature", "")
    d = re.search(r"(?:^|;)\s*d=([^;\s]+)", sig)
    say(fromdom == LISTDOM and d is not None and d.group(1) == fromdom,
        "%s: From's domain %s = DKIM d= %s" % (name, fromdom, d.group(1) if d else None))
    say(dkim.verify(raw, dnsfunc=look), "%s: dkimpy verifies the signature" % name)
    say(m.get_content_type() == "multipart/mixed", "%s: multipart/mixed" % name)
    parts = [p for p in m.walk() if not p.is_multipart()]
    say([p.get_content_type() for p in parts] == ["text/plain", "application/gzip"],
        "%s: a text/plain note and an application/gzip report" % name)
    gz = parts[-1]
    fn = gz.get_filename() or ""
    fm = FILENAME.match(fn)
    say(fm is not None and fm.group(1) == LISTDOM and fm.group(2) == dom
        and gz.get_param("name") == fn and gz.get("Content-Disposition", "").startswith("attachment"),
        "%s: filename %s matches the ABNF" % (name, fn))
    b64 = gz.get_payload().split("\r\n" if "\r\n" in gz.get_payload() else "\n")
    say(all(len(l) <= 76 for l in b64), "%s: base64 in lines of 76 at most" % name)
    xml = gzip.decompress(gz.get_payload(decode=True))
    xpath = path + ".xml"
    open(xpath, "wb").write(xml)
    r = subprocess.run(["xmllint", "--noout", "--schema", XSD, xpath], capture_output=True, text=True)
    say(r.returncode == 0, "%s: xmllint --schema RFC 9990 Appendix A: %s" % (name, r.stderr.strip().splitlines()[-1:] ))
    root = ET.fromstring(xml)
    meta = root.find(NS + "report_metadata")
    say(meta.findtext(NS + "report_id") == rid, "%s: XML report_id = Subject's" % name)
    say(meta.findtext(NS + "org_name") == LISTDOM, "%s: org_name the list domain" % name)
    b, e = meta.findtext(NS + "date_range/" + NS + "begin"), meta.findtext(NS + "date_range/" + NS + "end")
    say(fm is not None and (fm.group(3), fm.group(4)) == (b, e) and int(b) % 86400 == 0
        and int(e) - int(b) == 86400, "%s: filename dates = XML dates, one UTC day (%s-%s)" % (name, b, e))
    say(root.findtext(NS + "policy_published/" + NS + "domain") == dom, "%s: policy_published domain" % name)
    got = collections.Counter()
    auth_ok = True
    for rec in root.iter(NS + "record"):
        row = rec.find(NS + "row")
        ip = row.findtext(NS + "source_ip")
        disp = row.findtext(NS + "policy_evaluated/" + NS + "disposition")
        reason = row.findtext(NS + "policy_evaluated/" + NS + "reason/" + NS + "type") or ""
        got[(ip, disp, reason)] += int(row.findtext(NS + "count"))
        ids = rec.find(NS + "identifiers")
        if ids.findtext(NS + "header_from") != dom or ids.findtext(NS + "envelope_to") != LISTDOM:
            say(False, "%s: identifiers %s" % (name, ET.tostring(ids)))
        # what the posts carried: signed ones d=DOM s=s1 and MAIL FROM in DOM,
        # forged ones no signature and MAIL FROM forger@evil.example
        dk = [(a.findtext(NS + "domain"), a.findtext(NS + "selector"), a.findtext(NS + "result"))
              for a in rec.findall(NS + "auth_results/" + NS + "dkim")]
        sp = [(a.findtext(NS + "domain"), a.findtext(NS + "scope"), a.findtext(NS + "result"))
              for a in rec.findall(NS + "auth_results/" + NS + "spf")]
        signed = disp not in ("quarantine", "reject")
        want_auth = ([(dom, "s1", "pass")], [(dom, "mfrom", "pass")]) if signed \
            else ([], [("evil.example", "mfrom", "none")])
        auth_ok = auth_ok and (dk, sp) == want_auth
        if (dk, sp) != want_auth:
            print("# %s %s: auth_results %s want %s" % (name, ip, (dk, sp), want_auth), file=sys.stderr)
    say(got == want[dom], "%s: records %s = posted %s" % (name, sorted(got.items()), sorted(want[dom].items())))
    say(auth_ok, "%s: auth_results: the posts' DKIM d=/s= and SPF domain, scope and result" % name)
say(got_dests == want_dests, "report mails went to %s (want %s)" % (sorted(got_dests), sorted(want_dests)))
EOF
ORACLE_DIR=$top_srcdir/tests/oracle $py "$scratch/verify.py" "$scratch/sink" "127.0.0.1:$dns_port" \
	"$xsd" "$expect" "$dests" >"$scratch/verify.out" 2>"$scratch/verify.err"
check "the oracle ran" [ -s "$scratch/verify.out" ]
sed 's/^/# /' "$scratch/verify.err" | head -20
while IFS='	' read -r res what; do
	if [ "$res" = ok ]; then ok "$what"; else not_ok "$what"; fi
done <"$scratch/verify.out"

# -- again: nothing more ---------------------------------------------------------------
cli dmarc-report send --now $now >"$scratch/send2.out" 2>&1
check "a second send: 0 reports" grep -q '^0 reports, 0 mails queued, 1 postponed' "$scratch/send2.out"
# a day after the interval's end the unresolved destination is given up
cli dmarc-report send --now $((now + 86400)) >"$scratch/send4.out" 2>"$scratch/send4.err"
check "later: f.example's report recorded, sent nowhere" grep -q '^1 report, 0 mails queued, 0 postponed' "$scratch/send4.out"
check "the log says it was given up" grep -q 'event=dmarc_report_given_up domain=f.example uri=mailto:r@vendor.test' "$scratch/send4.err"
check "no feedback left" [ "$(sql "SELECT count(*) FROM dmarc_feedback")" = 0 ]

# -- dmarc_reports_send = no: nothing captured, nothing sent ----------------------------
kill "$daemon"; wait_gone "$daemon" 10
write_conf no
"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon2.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "the daemon serves LMTP again" wait_for "$scratch/daemon2.log" "service=lmtp listen=unix:$sock served=yes"
check "a: signed post with dmarc_reports_send = no" post $dev alice@a.example alice@a.example 192.0.2.10 yes
check "decided" settled
check "no feedback captured" [ "$(sql "SELECT count(*) FROM dmarc_feedback")" = 0 ]
cli dmarc-report send --now $((now + 2 * 86400)) >"$scratch/send3.out" 2>&1
check "send says nothing sent" grep -q 'dmarc_reports_send is no: nothing sent' "$scratch/send3.out"
sleep 1
check "still 4 report mails at the sink" [ "$(reports)" = 4 ]

# -- the daemon's own pass: a post of two days ago is reported at its start --------------
kill "$daemon"; wait_gone "$daemon" 10
write_conf yes
"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon3.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "the daemon serves LMTP a third time" wait_for "$scratch/daemon3.log" "service=lmtp listen=unix:$sock served=yes"
check "a: signed post, sends on again" post $dev alice@a.example alice@a.example 192.0.2.10 yes
check "decided, and recorded" sh -c "i=0; while [ \$i -lt 100 ]; do [ \"\$(sqlite3 '$db' 'SELECT count(*) FROM dmarc_feedback')\" = 1 ] && exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
# as if it had come two days ago (the daemon's clock cannot be set); the
# daemon is stopped first, or its own first idle pass, which may come only
# after this post was decided, would send the report before daemon4 starts
kill "$daemon"; wait_gone "$daemon" 10
sql "UPDATE dmarc_feedback SET received_at = received_at - 2 * 86400"
"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon4.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "the daemon's first idle pass sends the report" wait_for "$scratch/daemon4.log" "event=dmarc_reports reports=1 mails=1" 20
five() {
	i=0
	while [ $i -lt 100 ]; do [ "$(reports)" = 5 ] && return 0; sleep 0.2; i=$((i + 1)); done
	return 1
}
check "and delivers it: 5 report mails at the sink" five
tap_done
