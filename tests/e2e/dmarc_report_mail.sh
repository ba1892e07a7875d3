#!/bin/sh
# dmarc_report_mail.sh -- DMARC aggregate reports received by mail, end to
# end through the real sealistd: mails built here with /usr/bin/python3's
# standard email package from the corpus tests/data/dmarc-reports (MANIFEST
# has each report's org, id, records and messages) are sent over the LMTP
# socket to dmarc_report_address at a list domain, and checked in the
# database (sqlite3) and with "sealist dmarc-report summary":
#   - RCPT: the address at a list domain (any case) 250; at a domain
#     without lists, with a +tag, or with dmarc_report_address empty 550;
#     a list named like the address keeps its own mail;
#   - one report per mail as application/gzip, application/zip, inline
#     text/xml, application/octet-stream named .xml.gz, the whole
#     single-part body, base64 and quoted-printable XML; two reports in
#     one mail; each stored with MANIFEST's record and message counts,
#     source "mail", the recipient done; one log line per report;
#   - the same mail again adds nothing (duplicate); 17 copies of a report
#     in one mail read 16 and refuse the rest;
#   - hostile attachments (XXE, billion laughs, non-XML, a zip bomb of
#     1 GiB made here) refused with their reasons in dmarc_report_rejects,
#     where they came from ("mail <Message-ID> from <sender>"), nothing
#     else in the database changed, the daemon's peak memory bounded
#     (VmHWM), and the daemon still answers;
#   - a mail without any report kept aside as "no report attachment";
#   - nothing is ever sent back (the outbound table stays empty);
#   - sealistd --check-config refuses a dmarc_report_address that is not
#     a local part;
#   - was the report mail authentic (RFC 9990 sections 3.5.2, 8.2): DNS has
#     google.com and google.example (DKIM keys, p=reject) and yahoo.example
#     (p=reject, no key).  A forged mail From yahoo.example, unsigned, is stored with
#     mail_dmarc fail, and its copy of google.com's report (forged numbers)
#     gives way to the real one in mail DKIM-signed (dkimpy) by
#     google.com (mail_dmarc pass); the summary marks Yahoo "!", not
#     google.com; the web page counts per receiver the authenticated
#     reports and its verdict warns about Yahoo's; with
#     dmarc_report_require_auth = yes a forged mail is kept aside unread
#     with the reason, a signed one still imported.  A google.com report in
#     mail that passed DMARC as google.example is "unaligned": marked, or
#     refused with the switch (the pass must be the report's contact's).
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
send="$py $top_srcdir/tests/tools/lmtp_send.py"
corpus=$top_srcdir/tests/data/dmarc-reports

if ! command -v sqlite3 >/dev/null || [ ! -x "$py" ] || ! command -v curl >/dev/null \
   || ! $py -c 'import dkim' 2>/dev/null; then
	not_ok "sqlite3, curl and /usr/bin/python3 with python3-dkim are installed"
	tap_done
	exit 1
fi

# DNS on loopback: nothing about reporter.example (its mails get DMARC
# none); google.example signs and publishes p=reject, yahoo.example
# publishes p=reject and is forged.
: >"$scratch/zone.txt"
record() { printf '%s TXT "%s"\n' "$1" "$2" >>"$scratch/zone.txt"; }
p=$(dkim_keygen "$scratch/google.pem" rsa) || exit 1
record s1._domainkey.google.example "v=DKIM1; k=rsa; p=$p"
record _dmarc.google.example "v=DMARC1; p=reject"
record s1._domainkey.google.com "v=DKIM1; k=rsa; p=$p"
record _dmarc.google.com "v=DMARC1; p=reject"
record _dmarc.yahoo.example "v=DMARC1; p=reject"
check "dnsmasq serves the zone" dnsmasq_zone dns "$scratch/zone.txt" \
	--local=/example/ --local=/example.org/ --local=/example.net/ --local=/google.com/
dns_port=$port

db=$scratch/sealist.db
sock=$scratch/lmtp.sock
write_conf() {		# write_conf [EXTRA-LINE]
	cat >"$scratch/sealist.conf" <<CONF
database = $db
lmtp_listen = unix:$sock
web_listen = ${web_listen:-}
web_base_url = ${web_base_url:-https://lists.example.org}
dns_nameserver = 127.0.0.1:$dns_port
authserv_id = lists.test
templates_dir = $top_srcdir/templates
log_level = info
${1:-}
CONF
}
write_conf
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 -cmd ".timeout 10000" "$db" "$1"; }

check "a list at example.org" cli list create dev@example.org --owner boss@example.org
check "another list at example.org" cli list create ops@example.org --owner boss@example.org
check "a list named like the report address at other.example" \
	cli list create dmarc-reports@other.example --owner boss@example.org

daemon=
start_daemon() {
	: >"$scratch/daemon.log"
	"$sealistd" -f -c "$scratch/sealist.conf" 2>>"$scratch/daemon.log" &
	daemon=$!
	at_exit "kill $daemon 2>/dev/null"
	wait_for "$scratch/daemon.log" "service=lmtp listen=unix:$sock served=yes"
}
stop_daemon() { kill "$daemon"; wait_gone "$daemon" 10; }
check "the daemon serves LMTP" start_daemon

# -- the mails ---------------------------------------------------------------------
M=$scratch/mails
mkdir "$M"
"$py" - "$corpus" "$M" <<'EOF'
import email.policy, os, sys, zlib, struct
from email.message import EmailMessage
corpus, out = sys.argv[1], sys.argv[2]
def data(name):
    return open(os.path.join(corpus, name), "rb").read()
n = 0
def mail(name, parts=None, single=None, text=None):
    """parts: [(bytes or str, maintype, subtype, filename, cte, disposition)]"""
    global n
    n += 1
    m = EmailMessage(policy=email.policy.SMTP)
    m["From"] = "noreply-dmarc-support@reporter.example"
    m["To"] = "dmarc-reports@example.org"
    m["Subject"] = "Report domain: example.org Submitter: reporter.example Report-ID: " + name
    m["Date"] = "Fri, 27 Nov 2026 11:00:00 +0000"
    m["Message-ID"] = "<%s@reporter.example>" % name
    if single is not None:
        body, maintype, subtype, filename, cte = single
        m.set_content(body, maintype=maintype, subtype=subtype, filename=filename, cte=cte)
    else:
        m.set_content(text or "This is an aggregate report from reporter.example.\n")
        for body, maintype, subtype, filename, cte, disp in parts or []:
            if isinstance(body, str):
                m.add_attachment(body, subtype=subtype, filename=filename, cte=cte,
                                 disposition=disp)
            else:
                m.add_attachment(body, maintype=maintype, subtype=subtype, filename=filename,
                                 cte=cte, disposition=disp)
    open(os.path.join(out, name + ".eml"), "wb").write(m.as_bytes())

ent = "enterprise.protection.outlook.com!example.org!1700006400!1700092799.xml.gz"
goo = "google.com!example.org!1700006400!1700092799.zip"
yah = "yahoo.com!example.org!1700006400!1700092799.xml.gz"
mail("gzip", [(data(ent), "application", "gzip", ent, "base64", "attachment")])
mail("zip", [(data(goo), "application", "zip", goo, "base64", "attachment")])
mail("inline-xml", [(data("yahoo-quarantine.xml").decode(), "text", "xml", None, "7bit", "inline")])
mail("octet-xml-gz", [(data(yah), "application", "octet-stream", yah, "base64", "attachment")])
mail("single-part", single=(data("microsoft-ipv6-only.xml.gz"), "application", "gzip",
                            "microsoft-ipv6-only.xml.gz", "base64"))
mail("two-reports", [(data("rfc9990-extensions.xml.gz"), "application", "gzip",
                      "rfc9990-extensions.xml.gz", "base64", "attachment"),
                     (data("rfc9990-errors.zip"), "application", "zip", "rfc9990-errors.zip",
                      "base64", "attachment")])
mail("base64-xml", [(data("rfc9990-appendix-b.xml"), "application", "xml",
                     "rfc9990-appendix-b.xml", "base64", "attachment")])
mail("qp-xml", [(data("rfc9990-utf8-org.xml").decode("utf-8"), "text", "xml",
                 "rfc9990-utf8-org.xml", "quoted-printable", "attachment")])
# 17 copies of one report: 16 are read, the 17th refused unread.
# The same reports in new mails (the same mail twice is one inbox row).
mail("gzip-again", [(data(ent), "application", "gzip", ent, "base64", "attachment")])
mail("two-again", [(data("rfc9990-extensions.xml.gz"), "application", "gzip",
                    "rfc9990-extensions.xml.gz", "base64", "attachment"),
                   (data("rfc9990-errors.zip"), "application", "zip", "rfc9990-errors.zip",
                    "base64", "attachment")])
mail("seventeen", [(data("bom-crlf.xml"), "application", "xml", "r%d.xml" % i, "base64",
                    "attachment") for i in range(17)])
mail("no-attachment", text="Hello, no report here, just a note.\n")
h = os.path.join(corpus, "hostile")
mail("hostile", [(open(os.path.join(h, "xxe.xml"), "rb").read(), "text", "xml", "xxe.xml",
                  "base64", "attachment"),
                 (open(os.path.join(h, "billion-laughs.xml"), "rb").read(), "application",
                  "xml", "billion-laughs.xml", "base64", "attachment"),
                 (open(os.path.join(h, "not-xml.bin"), "rb").read(), "application",
                  "octet-stream", "report.xml.gz", "base64", "attachment")])
# A zip bomb: one deflated entry of 1 GiB of zeros after a report's start.
good = data("yahoo-quarantine.xml")
z = zlib.compressobj(9, zlib.DEFLATED, -15)
body = [z.compress(good[:200])]
chunk = b"\0" * (1 << 20)
crc = zlib.crc32(good[:200])
for _ in range(1024):
    body.append(z.compress(chunk))
    crc = zlib.crc32(chunk, crc)
body.append(z.flush())
raw = b"".join(body)
size = 200 + (1 << 30)
fn = b"bomb.xml"
local = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0, crc, len(raw),
                    size & 0xffffffff, len(fn), 0) + fn
central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0, crc, len(raw),
                      size & 0xffffffff, len(fn), 0, 0, 0, 0, 0, 0) + fn
end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 1, 1, len(central), len(local) + len(raw), 0)
mail("zip-bomb", [(local + raw + central + end, "application", "zip", "bomb.zip", "base64",
                   "attachment")])
EOF
check "the test mails are built" [ "$(ls "$M" | wc -l)" = 14 ]

# deliver NAME RCPT... -- send $M/NAME.eml; the replies in $scratch/NAME.out
deliver() {
	name=$1; shift
	$send "unix:$sock" noreply-dmarc-support@reporter.example "$M/$name.eml" "$@" \
		>"$scratch/$name.out" 2>&1
}
# code_of NAME RCPT -- the reply code for RCPT
code_of() { awk -v r="$2" '$1 == r { print $2 }' "$scratch/$1.out"; }
# settled -- until no inbox recipient is pending (20 s)
settled() {
	i=0
	while [ $i -lt 100 ]; do
		[ "$(sql "SELECT count(*) FROM inbox WHERE state IN ('new', 'authenticated')")" = 0 ] \
			&& [ "$(sql "SELECT count(*) FROM inbox_rcpt WHERE state = 'pending'")" = 0 ] \
			&& return 0
		sleep 0.2; i=$((i + 1))
	done
	diag "still pending: $(sql "SELECT id, state FROM inbox WHERE state <> 'done'")"
	return 1
}
# manifest FILE -- "org|report_id|records|messages" of a corpus file
manifest() { awk -F'|' -v f="$1" '$1 == f { print $2 "|" $3 "|" $4 "|" $5 }' "$corpus/MANIFEST"; }
# stored FILE -- the same from the database, for the report MANIFEST names
stored() {
	rid=$(manifest "$1" | cut -d'|' -f2)
	sql "SELECT r.org_name, r.report_id, count(c.id), coalesce(sum(c.count), 0)
	     FROM dmarc_reports r LEFT JOIN dmarc_report_records c ON c.report_id = r.id
	     WHERE r.report_id = '$rid' AND r.source = 'mail' GROUP BY r.id"
}
# imported WHAT FILE -- the report of FILE stored as MANIFEST says, once
imported() {
	want=$(manifest "$2")
	got=$(stored "$2")
	[ -n "$want" ] && [ "$got" = "$want" ] || { diag "$1: want '$want', got '$got'"; return 1; }
}
rcpt_state() {		# rcpt_state NAME -- state|reason of the mail's report recipient
	sql "SELECT r.state || '|' || coalesce(r.reason, '') FROM inbox_rcpt r JOIN inbox i
	     ON i.id = r.inbox_id WHERE r.role = 'dmarc-report' AND instr(CAST(i.message AS TEXT),
	     'Message-ID: <$1@reporter.example>') > 0 ORDER BY i.id DESC LIMIT 1"
}

# -- RCPT --------------------------------------------------------------------------------
deliver gzip dmarc-reports@example.org
check "RCPT dmarc-reports@ at a list domain: 250" [ "$(code_of gzip dmarc-reports@example.org)" = 250 ]
deliver zip DMARC-Reports@Example.ORG
check "the local part and domain in any case: 250" [ "$(code_of zip DMARC-Reports@Example.ORG)" = 250 ]
deliver no-attachment dmarc-reports@nolists.example dmarc-reports+tag@example.org \
	dmarc-reports@other.example
check "at a domain without lists: 550" \
	[ "$(code_of no-attachment dmarc-reports@nolists.example)" = 550 ]
check "with a +tag: 550" [ "$(code_of no-attachment dmarc-reports+tag@example.org)" = 550 ]
check "a list named dmarc-reports keeps its address (250)" \
	[ "$(code_of no-attachment dmarc-reports@other.example)" = 250 ]
check "settled" settled
check "  and that mail went to the list as a post, not to the report handler" \
	[ "$(sql "SELECT role FROM inbox_rcpt WHERE address = 'dmarc-reports@other.example'")" = post ]
check "the report address is filed under the domain's oldest list (dev)" \
	[ "$(sql "SELECT DISTINCT l.local_part FROM inbox_rcpt r JOIN lists l ON l.id = r.list_id
		  WHERE r.role = 'dmarc-report'")" = dev ]

# -- one report per mail, in every shape ---------------------------------------------------
for m in inline-xml octet-xml-gz single-part two-reports base64-xml qp-xml; do
	deliver $m dmarc-reports@example.org
	check "$m: RCPT and DATA 250" [ "$(code_of $m dmarc-reports@example.org)" = 250 ]
done
check "settled" settled
ent="enterprise.protection.outlook.com!example.org!1700006400!1700092799.xml.gz"
check "application/gzip attachment: imported with MANIFEST's counts" imported gzip "$ent"
check "application/zip attachment: imported" \
	imported zip "google.com!example.org!1700006400!1700092799.zip"
check "text/xml inline: imported" imported inline-xml yahoo-quarantine.xml
check "application/octet-stream named .xml.gz: imported" \
	imported octet-xml-gz "yahoo.com!example.org!1700006400!1700092799.xml.gz"
check "the whole single-part body: imported" imported single-part microsoft-ipv6-only.xml.gz
check "two reports in one mail: the first imported" imported two rfc9990-extensions.xml.gz
check "  and the second" imported two rfc9990-errors.zip
check "base64 XML: imported" imported base64-xml rfc9990-appendix-b.xml
check "quoted-printable UTF-8 XML: imported, its org name intact" imported qp rfc9990-utf8-org.xml
check "nine reports, all from mail" [ "$(sql "SELECT count(*) || '|' || sum(source = 'mail') FROM dmarc_reports")" = "9|9" ]
for m in gzip zip inline-xml octet-xml-gz single-part base64-xml qp-xml; do
	check "$m: the recipient is done, 1 imported" \
		[ "$(rcpt_state $m)" = "done|DMARC report mail: 1 imported, 0 duplicate, 0 refused" ]
done
check "two-reports: the recipient is done, 2 imported" \
	[ "$(rcpt_state two-reports)" = "done|DMARC report mail: 2 imported, 0 duplicate, 0 refused" ]
check "no report refused so far" [ "$(sql "SELECT count(*) FROM dmarc_report_rejects")" = 0 ]

# The summary: sealist's view of what came in by mail, over the reports' dates.
cli dmarc-report summary example.net --now 1700092800 --days 1 >"$scratch/summary.out" 2>&1
check "summary of example.net: the IPv6-only report by mail, 11 messages" \
	sh -c "grep -q 'Enterprise Outlook' '$scratch/summary.out' &&
	       [ \"\$(awk '/:/ && \$2 ~ /^[0-9]+\$/ { s += \$2 } END { print s }' '$scratch/summary.out')\" = 11 ]"
cli dmarc-report summary example.org --now 1700092800 --days 1 >"$scratch/summary2.out" 2>&1
check "summary of example.org names the mailed reporters" \
	sh -c "grep -q '^  Yahoo' '$scratch/summary2.out' && grep -q '^  google.com' '$scratch/summary2.out' &&
	       grep -q '^  Enterprise Outlook' '$scratch/summary2.out'"

check "one log line per report, with inbox, origin, org, report_id, records, outcome" \
	grep -q 'event=dmarc-report inbox=[0-9]* origin="mail <gzip@reporter.example> from <noreply-dmarc-support@reporter.example>" org="Enterprise Outlook" report_id=4a3f2b1c0d9e8f7a6b5c4d3e2f1a0b9c records=2 outcome=imported' "$scratch/daemon.log"
check "  nine such lines" [ "$(grep -c 'event=dmarc-report .*outcome=imported' "$scratch/daemon.log")" = 9 ]

# -- again: duplicates --------------------------------------------------------------------
sql "SELECT * FROM dmarc_reports ORDER BY id; SELECT * FROM dmarc_report_records ORDER BY id" >"$scratch/before-dup"
inbox=$(sql "SELECT count(*) FROM inbox")
deliver gzip dmarc-reports@example.org
check "the same mail again: 250" [ "$(code_of gzip dmarc-reports@example.org)" = 250 ]
check "  but stored once (the inbox knows it)" [ "$(sql "SELECT count(*) FROM inbox")" = "$inbox" ]
deliver gzip-again dmarc-reports@example.org
deliver two-again dmarc-reports@example.org
check "settled" settled
sql "SELECT * FROM dmarc_reports ORDER BY id; SELECT * FROM dmarc_report_records ORDER BY id" >"$scratch/after-dup"
check "the same reports in new mails add nothing" cmp -s "$scratch/before-dup" "$scratch/after-dup"
check "  said as duplicates" \
	[ "$(rcpt_state two-again)" = "done|DMARC report mail: 0 imported, 2 duplicate, 0 refused" ]
check "  and logged so" [ "$(grep -c 'event=dmarc-report .*outcome=duplicate' "$scratch/daemon.log")" = 3 ]

# -- 17 in one mail --------------------------------------------------------------------------
deliver seventeen dmarc-reports@example.org
check "settled" settled
check "17 reports in one mail: 16 read (1 imported, 15 duplicates), the 17th refused" \
	[ "$(rcpt_state seventeen)" = "done|DMARC report mail: 1 imported, 15 duplicate, 1 refused" ]
check "  kept aside with its reason" [ "$(sql "SELECT reason FROM dmarc_report_rejects")" = \
	"1 more report attachment than the 16 read from one mail" ]
check "  bom-crlf.xml imported" imported seventeen bom-crlf.xml

# -- no report ------------------------------------------------------------------------------
deliver no-attachment dmarc-reports@example.org
check "settled" settled
check "a mail without a report: kept aside as \"no report attachment\"" \
	[ "$(sql "SELECT source || '|' || reason || '|' || (size > 0) FROM dmarc_report_rejects
		  WHERE id = (SELECT max(id) FROM dmarc_report_rejects)")" = \
	  "mail <no-attachment@reporter.example> from <noreply-dmarc-support@reporter.example>|no report attachment|1" ]
check "  the recipient is done" \
	[ "$(rcpt_state no-attachment)" = "done|DMARC report mail: 0 imported, 0 duplicate, 1 refused" ]

# -- hostile ---------------------------------------------------------------------------------
dump() { sql ".dump" | grep -v 'dmarc_report_rejects\|INSERT INTO inbox\|INSERT INTO "inbox_rcpt"\|INSERT INTO inbox_rcpt' >"$1"; }
dump "$scratch/dump.before"
rejects=$(sql "SELECT count(*) FROM dmarc_report_rejects")
deliver hostile dmarc-reports@example.org
deliver zip-bomb dmarc-reports@example.org
check "hostile mails accepted (250)" \
	[ "$(code_of hostile dmarc-reports@example.org) $(code_of zip-bomb dmarc-reports@example.org)" = "250 250" ]
check "settled" settled
reason_of() {
	sql "SELECT reason FROM dmarc_report_rejects WHERE id > $rejects AND source =
	     'mail <$1@reporter.example> from <noreply-dmarc-support@reporter.example>' ORDER BY id"
}
reason_of hostile >"$scratch/hostile.reasons"
check "XXE refused: a DOCTYPE is not allowed" \
	[ "$(sed -n 1p "$scratch/hostile.reasons")" = "a DOCTYPE is not allowed (external entities, entity expansion)" ]
check "billion laughs refused: a DOCTYPE is not allowed" \
	[ "$(sed -n 2p "$scratch/hostile.reasons")" = "a DOCTYPE is not allowed (external entities, entity expansion)" ]
check "a non-XML attachment named .xml.gz refused: not a report" \
	[ "$(sed -n 3p "$scratch/hostile.reasons")" = "not a report: neither XML, gzip nor zip" ]
check "the zip bomb refused: decompressed size over 64 MiB" \
	[ "$(reason_of zip-bomb)" = "decompressed size over 64 MiB" ]
check "  each kept aside with its size and SHA-256" \
	[ "$(sql "SELECT count(*) FROM dmarc_report_rejects WHERE id > $rejects AND size > 0 AND length(sha256) = 64")" = 4 ]
dump "$scratch/dump.after"
check "nothing else in the database changed" cmp -s "$scratch/dump.before" "$scratch/dump.after"
check "/etc/passwd is nowhere in the database" sh -c "! sqlite3 '$db' .dump | grep -q 'root:x:0:0'"
check "refusals logged with their reasons" \
	grep -q 'event=dmarc-report inbox=[0-9]* origin="mail <zip-bomb@reporter.example> from <noreply-dmarc-support@reporter.example>" file=bomb.zip outcome=refused reason="decompressed size over 64 MiB"' "$scratch/daemon.log"
# The XML is capped at 64 MiB (LIMIT_DMARCREP_XML): the bomb may cost that
# and the buffers, never its 1 GiB.
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$daemon/status")
check "the daemon's peak memory stays bounded (${hwm} KiB, at most 393216)" [ "${hwm:-999999999}" -le 393216 ]
deliver gzip dmarc-reports@example.org
check "the daemon still answers after them" [ "$(code_of gzip dmarc-reports@example.org)" = 250 ]
check "settled" settled

# -- nothing goes back --------------------------------------------------------------------------
# (the post to the list dmarc-reports@other.example above was held, with notices)
check "nothing was sent back to anyone (no outbound rows but the held post's notices)" \
	[ "$(sql "SELECT count(*) FROM outbound WHERE list_id <> (SELECT l.id FROM lists l
		  JOIN domains d ON d.id = l.domain_id WHERE d.name = 'other.example')")" = 0 ]

# -- the setting --------------------------------------------------------------------------------
check "the daemon stops" stop_daemon
write_conf "dmarc_report_address ="
check "dmarc_report_address = (empty): the daemon starts" start_daemon
deliver gzip dmarc-reports@example.org
check "  and RCPT dmarc-reports@example.org is 550" [ "$(code_of gzip dmarc-reports@example.org)" = 550 ]
check "the daemon stops" stop_daemon
write_conf "dmarc_report_address = Reports.DMARC"
check "dmarc_report_address = Reports.DMARC: the daemon starts" start_daemon
deliver gzip reports.dmarc@example.org dmarc-reports@example.org
check "  reports.dmarc@example.org is 250" [ "$(code_of gzip reports.dmarc@example.org)" = 250 ]
check "  dmarc-reports@example.org is 550" [ "$(code_of gzip dmarc-reports@example.org)" = 550 ]
check "settled" settled
check "the daemon stops" stop_daemon
for bad in "dmarc-reports@example.org" "dmarc reports" ".dmarc" "dmarc..reports" "dmarc,reports"; do
	write_conf "dmarc_report_address = $bad"
	check_fails "--check-config refuses dmarc_report_address = $bad" \
		"$sealistd" -c "$scratch/sealist.conf" --check-config
done
write_conf "dmarc_report_address = dmarc-reports"
check "--check-config accepts dmarc_report_address = dmarc-reports" \
	"$sealistd" -c "$scratch/sealist.conf" --check-config

# -- was the report mail authentic? ----------------------------------------------------
check "reporter.example (no DMARC record): its reports stored, marked dmarc none" \
	[ "$(sql "SELECT DISTINCT mail_dmarc || '|' || mail_from_domain FROM dmarc_reports")" = "none|reporter.example" ]
A=$scratch/auth
mkdir "$A"
"$py" - "$corpus" "$A" "$scratch/google.pem" <<'PYEOF'
import dkim, email.policy, os, sys
from email.message import EmailMessage
corpus, out, key = sys.argv[1], sys.argv[2], open(sys.argv[3], "rb").read()
def report(org, rid, ip, count, result, begin=1700006400):
    return ("""<?xml version="1.0" encoding="UTF-8"?>
<feedback><report_metadata><org_name>%s</org_name><email>noreply@%s</email>
<report_id>%s</report_id><date_range><begin>%d</begin><end>%d</end></date_range>
</report_metadata><policy_published><domain>lists.example.org</domain><adkim>r</adkim>
<aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct></policy_published>
<record><row><source_ip>%s</source_ip><count>%d</count><policy_evaluated>
<disposition>none</disposition><dkim>%s</dkim><spf>%s</spf></policy_evaluated></row>
<identifiers><header_from>lists.example.org</header_from></identifiers>
<auth_results><spf><domain>lists.example.org</domain><result>%s</result></spf></auth_results>
</record></feedback>
""" % (org, org, rid, begin, begin + 86399, ip, count, result, result, result)).encode()
def mail(name, sender, parts, sign, d=b"google.com"):
    m = EmailMessage(policy=email.policy.SMTP)
    m["From"] = sender
    m["To"] = "dmarc-reports@example.org"
    m["Subject"] = "Report domain: lists.example.org Report-ID: " + name
    m["Date"] = "Fri, 27 Nov 2026 11:00:00 +0000"
    m["Message-ID"] = "<%s@reporter.example>" % name
    m.set_content("This is an aggregate report.\n")
    for data, sub, fn in parts:
        m.add_attachment(data, maintype="application", subtype=sub, filename=fn)
    raw = m.as_bytes()
    if sign:
        raw = dkim.sign(raw, b"s1", d, key,
                        include_headers=[b"from", b"to", b"subject", b"date", b"message-id"]) + raw
    open(os.path.join(out, name + ".eml"), "wb").write(raw)
goo = open(os.path.join(corpus, "google.com!lists.example.org!1700006400!1700092799.zip"), "rb").read()
# forged: Yahoo's report, and a copy of google.com's with its report_id and forged numbers
mail("forged", "dmarc@yahoo.example",
     [(report("Yahoo", "forged-1", "192.0.2.99", 500, "fail"), "xml", "y.xml"),
      (report("google.com", "98765432109876543210", "192.0.2.66", 999999, "pass"), "xml", "g.xml")],
     False)
mail("signed", "noreply-dmarc-support@google.com", [(goo, "zip", "g.zip")], True)
mail("signed-again", "noreply-dmarc-support@google.com", [(goo, "zip", "g.zip")], True)
mail("forged-2", "dmarc@yahoo.example",
     [(report("Yahoo", "forged-2", "192.0.2.98", 700, "fail"), "xml", "y2.xml")], False)
mail("signed-2", "noreply-dmarc-support@google.com",
     [(report("google.com", "signed-2", "192.0.2.25", 12, "pass"), "xml", "s2.xml")], True)
# passes DMARC, but as google.example, with a report whose contact is google.com
# (another window, so the checks of the day above see nothing of it)
mail("unaligned", "dmarc@google.example",
     [(report("google.com", "unaligned-1", "192.0.2.97", 800, "pass", 1690000000), "xml", "u.xml")],
     True, b"google.example")
mail("unaligned-2", "dmarc@google.example",
     [(report("google.com", "unaligned-2", "192.0.2.96", 900, "pass", 1690000000), "xml", "u2.xml")],
     True, b"google.example")
PYEOF
check "the authentication test mails are built" [ "$(ls "$A" | wc -l)" = 7 ]
# adeliver NAME -- send $A/NAME.eml to the report address; 250 expected
adeliver() {
	$send "unix:$sock" noreply-dmarc-support@reporter.example "$A/$1.eml" dmarc-reports@example.org \
		>"$scratch/$1.out" 2>&1 && [ "$(code_of "$1" dmarc-reports@example.org)" = 250 ]
}
# auth_of ORG REPORT_ID -- messages|mail_dmarc|mail_from_domain of a stored report
auth_of() {
	sql "SELECT coalesce(sum(c.count), 0) || '|' || coalesce(r.mail_dmarc, 'NULL') || '|'
	     || coalesce(r.mail_from_domain, 'NULL') FROM dmarc_reports r LEFT JOIN
	     dmarc_report_records c ON c.report_id = r.id WHERE r.org_name = '$1'
	     AND r.report_id = '$2' GROUP BY r.id"
}
check "the daemon starts again" start_daemon
check "a forged mail (From yahoo.example, p=reject, unsigned): 250" adeliver forged
check "settled" settled
check "  Yahoo's report stored, marked dmarc fail From yahoo.example" \
	[ "$(auth_of Yahoo forged-1)" = "500|fail|yahoo.example" ]
check "  its copy of google.com's report too, for now (forged numbers)" \
	[ "$(auth_of google.com 98765432109876543210)" = "999999|fail|yahoo.example" ]
check "  the log line says so" grep -q 'report_id=forged-1 records=1 outcome=imported mail_dmarc=fail mail_from=yahoo.example' "$scratch/daemon.log"
check "a mail DKIM-signed by google.com (p=reject): 250" adeliver signed
check "settled" settled
check "  our verdict of it was dmarc=pass" [ "$(sql "SELECT i.verdict FROM inbox i WHERE
	instr(CAST(i.message AS TEXT), 'Message-ID: <signed@reporter.example>') > 0" | sed -n 's/^dmarc=//p')" = pass ]
check "  the real report displaced the forged copy: MANIFEST's 42 messages, dmarc pass From google.com" \
	[ "$(auth_of google.com 98765432109876543210)" = "42|pass|google.com" ]
check "  the forged copy's record is gone" \
	[ "$(sql "SELECT count(*) FROM dmarc_report_records WHERE source_ip = '192.0.2.66'")" = 0 ]
check "  said as imported" [ "$(rcpt_state signed)" = "done|DMARC report mail: 1 imported, 0 duplicate, 0 refused" ]
check "the same report signed again: 250" adeliver signed-again
check "settled" settled
check "  a duplicate" [ "$(rcpt_state signed-again)" = "done|DMARC report mail: 0 imported, 1 duplicate, 0 refused" ]
check "  nothing displaced (42|pass|google.com)" [ "$(auth_of google.com 98765432109876543210)" = "42|pass|google.com" ]
cli dmarc-report summary lists.example.org --now 1700092800 --days 1 >"$scratch/auth-summary.out" 2>&1
check "summary: Yahoo marked ! with its one report by unauthenticated mail" \
	grep -qx '  Yahoo  ! 1 report by mail that did not pass DMARC' "$scratch/auth-summary.out"
check "  google.com not marked" grep -qx '  google.com' "$scratch/auth-summary.out"
check "  the legend explains !" grep -q '^! = reports that came in mail that did not pass DMARC' "$scratch/auth-summary.out"
check "  the numbers as stored: Yahoo's 500 and google.com's 42 messages" \
	[ "$(awk '$1 ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/ { s += $2 } END { print s }' "$scratch/auth-summary.out")" = 542 ]
check "the daemon stops" stop_daemon

# The web page of lists.example.org over the reports' day.
printf 'secret pw 1234\n' >"$scratch/pw"
check "a site admin" cli admin add admin --password-file "$scratch/pw"
web_listen=127.0.0.1:0 web_base_url=http://127.0.0.1:0 write_conf
unset web_listen web_base_url
check "the daemon serves the web" web_serve "$scratch/sealist.conf" "$scratch/daemon.log"
web_login "$base" admin "secret pw 1234" "$scratch/admin.jar" >/dev/null || not_ok "log in as admin"
check "the DMARC page of lists.example.org: 200" [ "$(fetch authpage -b "$scratch/admin.jar" \
	"$base/admin/dmarc?domain=lists.example.org&days=1&end=2023-11-15")" = 200 ]
# the page read with the oracle's parser (tests/oracle/dmarc_week.py, Python's html.parser)
"$py" - "$top_srcdir/tests/oracle" "$scratch/authpage.body" >"$scratch/authpage.txt" <<'PYEOF'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from dmarc_week import Page
p = Page()
p.feed(open(sys.argv[2], encoding="utf-8").read())
for r in p.tables.get("dmarc-auth", []):
    print("auth " + "|".join([r["attrs"].get("class", "")] + r["cells"]))
print("verdict " + " ".join(" ".join(p.verdict).split()))
PYEOF
check "  per receiver: google.com 1 report, 1 authenticated" grep -qx 'auth auth|google.com|1|1|0' "$scratch/authpage.txt"
check "  Yahoo 1 report, not authenticated" grep -qx 'auth unauth|Yahoo|1|0|1' "$scratch/authpage.txt"
check "  the verdict warns about Yahoo's numbers" \
	grep -q "^verdict .*Yahoo's report came in mail that did not pass DMARC: treat its numbers with care" "$scratch/authpage.txt"
check "  and not about google.com's" sh -c "! grep -q \"google.com's report came\" '$scratch/authpage.txt'"
# A DMARC pass proves who sent the mail, not that the sender is the reporter.
check "a report of google.com's in mail that passed DMARC as google.example: 250" adeliver unaligned
check "settled" settled
check "  stored, marked unaligned (not pass): the mark and the switch apply" \
	[ "$(auth_of google.com unaligned-1)" = "800|unaligned|google.example" ]
check "the daemon stops" stop_daemon

# dmarc_report_require_auth = yes: a forged mail is kept aside unread.
write_conf "dmarc_report_require_auth = yes"
check "dmarc_report_require_auth = yes: the daemon starts" start_daemon
rejects=$(sql "SELECT count(*) FROM dmarc_report_rejects")
check "a forged mail: 250" adeliver forged-2
check "a signed mail: 250" adeliver signed-2
check "settled" settled
check "  the forged one refused, kept aside with the reason" \
	[ "$(sql "SELECT source || '|' || reason FROM dmarc_report_rejects WHERE id > $rejects")" = \
	  "mail <forged-2@reporter.example> from <noreply-dmarc-support@reporter.example>|report mail did not pass DMARC (dmarc=fail, From yahoo.example)" ]
check "  its report not stored" [ "$(sql "SELECT count(*) FROM dmarc_reports WHERE report_id = 'forged-2'")" = 0 ]
check "  the recipient done, 1 refused" \
	[ "$(rcpt_state forged-2)" = "done|DMARC report mail: 0 imported, 0 duplicate, 1 refused" ]
check "  the signed one imported, dmarc pass" [ "$(auth_of google.com signed-2)" = "12|pass|google.com" ]
rejects=$(sql "SELECT count(*) FROM dmarc_report_rejects")
check "a google.com report in mail that passed as google.example: 250" adeliver unaligned-2
check "settled" settled
check "  refused: passed DMARC, but not as the report's contact domain" \
	[ "$(sql "SELECT reason FROM dmarc_report_rejects WHERE id > $rejects")" = \
	  "report mail passed DMARC as google.example, not as the report's contact domain (noreply@google.com)" ]
check "  its report not stored" [ "$(sql "SELECT count(*) FROM dmarc_reports WHERE report_id = 'unaligned-2'")" = 0 ]
check "the daemon stops" stop_daemon
write_conf "dmarc_report_require_auth = maybe"
check_fails "--check-config refuses dmarc_report_require_auth = maybe" \
	"$sealistd" -c "$scratch/sealist.conf" --check-config

tap_done
