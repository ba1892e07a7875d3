#!/bin/sh
# NAME
#	dmarc_bounce.sh
# SUMMARY
#	end-to-end test of the bounces of the DMARC reports sealist sends
# DESCRIPTION
#	The real sealistd takes a signed post from a.example (p=reject,
#	rua=mailto:agg@a.example; DNS from dnsmasq on loopback) and `sealist
#	dmarc-report send` reports it; the daemon delivers the report to
#	tests/tools/smtp_sink.py.  Then DSNs are made for that very mail with
#	/usr/bin/python3's email package (tests/tools/make_dsn.py: multipart/
#	report, message/delivery-status, the original's headers) and sent
#	over LMTP from <> to dmarc-reports@lists.example.org:
#	  a hard one (5.1.1, failed, text/rfc822-headers): one log line
#	    event=dmarc_report_bounce with recipient, status, class and the
#	    report_id of dmarc_sent_reports, one dmarc_report_bounces row, and
#	    dmarc_report_rejects does not grow;
#	  the same mail again over LMTP: the inbox knows it, nothing more;
#	  another hard one (5.2.1): a second row and line;
#	  a soft one (4.2.2, delayed, the whole original as message/rfc822
#	    without its Message-ID: the Subject's Report-ID names the report);
#	  a DSN about one of the list's posts, and one naming a report_id we
#	    never sent: kept aside as before ("no report attachment");
#	  a third hard one within 30 days logs event=dmarc_report_rua_stopped
#	    (a fourth does not again), and the next report is recorded but
#	    not sent to that address (the dry run says why).
#	Prints TAP.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
send="$py $top_srcdir/tests/tools/lmtp_send.py"
sink="$top_srcdir/tests/tools/smtp_sink.py"
mkdsn="$py $top_srcdir/tests/tools/make_dsn.py"
zone=$scratch/zone.txt

if ! command -v sqlite3 >/dev/null || ! command -v openssl >/dev/null \
   || ! $py -c 'import dkim' 2>/dev/null; then
	not_ok "sqlite3, openssl and /usr/bin/python3 with python3-dkim"
	tap_done
	exit 1
fi

db=$scratch/sealist.db
sock=$scratch/lmtp.sock
write_conf() {
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
dmarc_reports_send = yes
CONF
}
write_conf
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 "$db" "$1"; }

# -- keys, zone, sink, list, daemon ---------------------------------------------------
: >"$zone"
record() { printf '%s TXT "%s"\n' "$1" "$2" >>"$zone"; }
check "an RSA key for lists.example.org" sh -c "'$sealist' -c '$scratch/sealist.conf' key generate lists.example.org >/dev/null"
cli key dns lists.example.org | awk '/^[^ \t]/ { if (l != "") print l; l = $0; next }
	{ l = l " " $0 } END { if (l != "") print l }' >>"$zone"
p=$(dkim_keygen "$scratch/author.pem" rsa) || exit 1
record "s1._domainkey.a.example" "v=DKIM1; k=rsa; p=$p"
record a.example "v=spf1 ip4:192.0.2.0/24 -all"
record _dmarc.a.example "v=DMARC1; p=reject; rua=mailto:agg@a.example"
record _dmarc.lists.example.org "v=DMARC1; p=none"
check "dnsmasq serves the zone" dnsmasq_zone dns "$zone" --local=/example/ --local=/example.org/
dns_port=$port
mkdir -p "$scratch/sink"
$py "$sink" --dir "$scratch/sink" >"$scratch/sink.out" 2>"$scratch/sink.err" &
at_exit "kill $! 2>/dev/null"
check "the sink listens" wait_for "$scratch/sink.out" '^port ' 10
sink_port=$(awk '/^port /{print $2}' "$scratch/sink.out")
write_conf
check "list dev" cli list create dev@lists.example.org --owner boss@lists.example.org
check "dev: alice" cli member add dev@lists.example.org alice@a.example
"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "the daemon serves LMTP" wait_for "$scratch/daemon.log" "service=lmtp listen=unix:$sock served=yes"

settled() {	# every inbox message decided (a 250 means it is in the inbox)
	i=0
	while [ $i -lt 150 ]; do
		[ "$(sql "SELECT count(*) FROM inbox WHERE state <> 'done'")" = 0 ] && return 0
		sleep 0.2; i=$((i + 1))
	done
	diag "$(sql "SELECT id, state FROM inbox WHERE state <> 'done'")"; return 1
}
# lmtp FROM FILE RCPT -- one mail, 250 expected
lmtp() {
	$send "unix:$sock" "$1" "$2" "$3" --xforward "ADDR=192.0.2.99" >"$2.out"
	grep -q ' 250 ' "$2.out"
}

# -- a post, its report, at the sink ------------------------------------------------
printf '%s\r\n' "From: alice@a.example" "To: dev@lists.example.org" "Subject: post 1" \
	"Date: Fri, 27 Nov 2026 10:00:00 +0000" "Message-ID: <p1@test>" \
	"MIME-Version: 1.0" "Content-Type: text/plain; charset=us-ascii" "" \
	"Hello list." "" >"$scratch/p1.raw"
"$sealist" dkim sign --domain a.example --selector s1 --key "$scratch/author.pem" \
	<"$scratch/p1.raw" >"$scratch/p1.eml"
check "a signed post to dev" lmtp alice@a.example "$scratch/p1.eml" dev@lists.example.org
check "decided" settled
check "one feedback row" [ "$(sql "SELECT count(*) FROM dmarc_feedback")" = 1 ]
cli dmarc-report send --now $(( $(date +%s) + 86400 )) >"$scratch/send.out" 2>"$scratch/send.err"
check "one report sent" grep -q '^1 report, 1 mail queued' "$scratch/send.out"
rid=$(sql "SELECT report_id FROM dmarc_sent_reports")
check "its report_id is recorded ($rid)" [ -n "$rid" ]
report_mail() { grep -l '^Subject: Report Domain:' "$scratch"/sink/*.eml 2>/dev/null | head -1; }
arrived() {
	i=0
	while [ $i -lt 150 ]; do [ -n "$(report_mail)" ] && return 0; sleep 0.2; i=$((i + 1)); done
	return 1
}
check "the daemon delivers the report mail" arrived
report=$(report_mail)
check "its envelope sender is dmarc-reports@lists.example.org" grep -q '^from dmarc-reports@lists.example.org$' "${report%.eml}.env"
check "its Message-ID is <report_id>" grep -q "^Message-ID: <$rid>" "$report"
post=$(grep -L '^Subject: Report Domain:' "$scratch"/sink/*.eml | head -1)
check "the post was delivered too" [ -n "$post" ]

rejects() { sql "SELECT count(*) FROM dmarc_report_rejects"; }
bounces() { sql "SELECT count(*) FROM dmarc_report_bounces"; }
logged() { grep -c 'event=dmarc_report_bounce ' "$scratch/daemon.log"; }

# -- a hard bounce -------------------------------------------------------------------
check "make a hard DSN (5.1.1, text/rfc822-headers)" $mkdsn "$report" "$scratch/hard.eml" agg@a.example 5.1.1 failed
check "it is multipart/report; report-type=delivery-status" grep -qi 'report-type="*delivery-status' "$scratch/hard.eml"
check "hard DSN to dmarc-reports@: 250" lmtp "" "$scratch/hard.eml" dmarc-reports@lists.example.org
check "decided" settled
hard_in=$(sql "SELECT max(id) FROM inbox")
check "the log line" grep -q "event=dmarc_report_bounce inbox=$hard_in recipient=agg@a.example status=5.1.1 class=hard report_id=$rid\$" "$scratch/daemon.log"
check "stored" [ "$(sql "SELECT report_id || '|' || recipient || '|' || status || '|' || class || '|' || inbox_id FROM dmarc_report_bounces")" = "$rid|agg@a.example|5.1.1|hard|$hard_in" ]
check "not kept aside as a refused report" [ "$(rejects)" = 0 ]
check "the recipient's reason says bounce" [ "$(sql "SELECT reason FROM inbox_rcpt WHERE inbox_id = $hard_in")" = "DMARC report bounce: 1 failed recipient" ]

check "the same DSN again: 250" lmtp "" "$scratch/hard.eml" dmarc-reports@lists.example.org
check "decided" settled
check "no second inbox message, row or log line" [ "$(sql "SELECT max(id) FROM inbox")|$(bounces)|$(logged)" = "$hard_in|1|1" ]
check "still nothing kept aside" [ "$(rejects)" = 0 ]
check "make another hard DSN, a second rua failing (5.2.1)" $mkdsn "$report" "$scratch/hard2.eml" agg@a.example 5.2.1 failed
check "second hard DSN: 250" lmtp "" "$scratch/hard2.eml" dmarc-reports@lists.example.org
check "decided" settled
check "a second row, status 5.2.1" [ "$(sql "SELECT count(*) || '|' || max(status) FROM dmarc_report_bounces")" = "2|5.2.1" ]
check "a second log line" [ "$(logged)" = 2 ]

# -- a soft one, the whole original returned without its Message-ID -----------------
check "make a soft DSN (4.2.2 delayed, message/rfc822, no Message-ID)" \
	$mkdsn "$report" "$scratch/soft.eml" agg@a.example 4.2.2 delayed --full --no-message-id
check "the returned copy has no Message-ID" sh -c "! grep -q '^Message-ID: <$rid>' '$scratch/soft.eml'"
check "soft DSN: 250" lmtp "" "$scratch/soft.eml" dmarc-reports@lists.example.org
check "decided" settled
soft_in=$(sql "SELECT max(id) FROM inbox")
check "the soft log line (report_id from the Subject)" grep -q "event=dmarc_report_bounce inbox=$soft_in recipient=agg@a.example status=4.2.2 class=soft report_id=$rid\$" "$scratch/daemon.log"
check "stored as soft" [ "$(sql "SELECT class || '|' || status FROM dmarc_report_bounces WHERE inbox_id = $soft_in")" = "soft|4.2.2" ]
check "nothing kept aside" [ "$(rejects)" = 0 ]

# -- DSNs about something else: the old way ------------------------------------------
check "make a DSN about a post" $mkdsn "$post" "$scratch/other.eml" alice@a.example 5.1.1 failed
check "DSN about a post: 250" lmtp "" "$scratch/other.eml" dmarc-reports@lists.example.org
check "decided" settled
check "kept aside: no report attachment" [ "$(sql "SELECT reason FROM dmarc_report_rejects")" = "no report attachment" ]
sed "s/$rid/1.2.never-sent.example@lists.example.org/g" "$report" >"$scratch/forged-report.eml"
check "make a DSN naming a report_id never sent" $mkdsn "$scratch/forged-report.eml" "$scratch/unknown.eml" agg@a.example 5.1.1 failed
check "unknown report's DSN: 250" lmtp "" "$scratch/unknown.eml" dmarc-reports@lists.example.org
check "decided" settled
check "kept aside too" [ "$(rejects)" = 2 ]
check "no more bounce rows or lines" [ "$(bounces)|$(logged)" = "3|3" ]

# -- three hard bounces in 30 days: no more reports to that address ---------------------
stopped() { grep -c 'event=dmarc_report_rua_stopped ' "$scratch/daemon.log"; }
check "two hard bounces: not stopped yet" [ "$(stopped)" = 0 ]
check "make a third hard DSN" $mkdsn "$report" "$scratch/hard3.eml" agg@a.example 5.1.1 failed
check "third hard DSN: 250" lmtp "" "$scratch/hard3.eml" dmarc-reports@lists.example.org
check "decided" settled
check "the third logs the stop" grep -q 'event=dmarc_report_rua_stopped recipient=agg@a.example hard_bounces=3 days=30' "$scratch/daemon.log"
check "make a fourth hard DSN" $mkdsn "$report" "$scratch/hard4.eml" agg@a.example 5.1.1 failed
check "fourth hard DSN: 250" lmtp "" "$scratch/hard4.eml" dmarc-reports@lists.example.org
check "decided" settled
check "stored, but the stop is logged once" [ "$(bounces)|$(stopped)" = "5|1" ]
"$sealist" dkim sign --domain a.example --selector s1 --key "$scratch/author.pem" \
	<"$scratch/p1.raw" | sed 's/<p1@test>/<p2@test>/' >"$scratch/p2.eml"
check "another signed post" lmtp alice@a.example "$scratch/p2.eml" dev@lists.example.org
check "decided" settled
check "recorded" [ "$(sql "SELECT count(*) FROM dmarc_feedback")" = 1 ]
# a day back, so that it makes a report of its own interval (the daemon's
# pass may not run meanwhile: it sends only intervals that have ended)
sql "UPDATE dmarc_feedback SET received_at = received_at - 86400"
cli dmarc-report send --now $(( $(date +%s) + 86400 )) --dry-run >"$scratch/dry.out" 2>&1
check "the dry run says why agg@a.example is skipped" grep -q 'event=dmarc_report_rua_stopped domain=a.example uri=mailto:agg@a.example why="3 hard bounces in 30 days"' "$scratch/dry.out"
cli dmarc-report send --now $(( $(date +%s) + 86400 )) >"$scratch/send2.out" 2>"$scratch/send2.err"
check "the report is recorded, no mail queued" grep -q '^1 report, 0 mails queued' "$scratch/send2.out"
check "the log says why it went nowhere" grep -q "event=dmarc_report_unsent .*stopped after hard bounces" "$scratch/send2.err"
check "recorded without destination" [ "$(sql "SELECT count(*) || '|' || min(destinations) FROM dmarc_sent_reports")" = "2|" ]
sleep 1
check "still one report mail at the sink" [ "$(grep -l '^Subject: Report Domain:' "$scratch"/sink/*.eml | wc -l)" = 1 ]
tap_done
