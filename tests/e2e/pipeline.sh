#!/bin/sh
# pipeline.sh -- the real sealistd, fed by a real Postfix over LMTP on a unix
# socket that only Postfix's group may use (XFORWARD on, the client
# address given to Postfix with XCLIENT), DNS records from
# dnsmasq on loopback: posts are stored, authenticated, judged by the
# posting policy and rewritten into the outbound table; held posts are
# decided with "sealist held" and by a moderator's reply; forgeries are held
# without a word to the forged From.  Protocol edges (bad commands, limits,
# concurrency) are tests/e2e/lmtp.sh's; here a few go to the daemon itself.
# A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
send="$py $top_srcdir/tests/tools/lmtp_send.py"
zone=$scratch/zone.txt

if ! command -v sqlite3 >/dev/null || ! command -v openssl >/dev/null \
   || ! $py -c 'import dkim' 2>/dev/null; then
	not_ok "sqlite3, openssl and /usr/bin/python3 with python3-dkim are installed"
	tap_done
	exit 1
fi

record() { printf '%s TXT "%s"\n' "$1" "$2" >>"$zone"; }
: >"$zone"
p=$(dkim_keygen "$scratch/author.pem" rsa) || exit 1
record s1._domainkey.author.example "v=DKIM1; k=rsa; p=$p"
record author.example "v=spf1 ip4:192.0.2.0/24 -all"
record _dmarc.author.example "v=DMARC1; p=reject"
record relaxed.example "v=spf1 ip4:198.51.100.0/24 -all"
record _dmarc.relaxed.example "v=DMARC1; p=none"
check "dnsmasq serves the zone" dnsmasq_zone dns "$zone" --local=/example/
dns_port=$port

db=$scratch/sealist.db
sock=$scratch/lmtp.sock
cat >"$scratch/sealist.conf" <<CONF
database = $db
lmtp_listen = unix:$sock
lmtp_socket_mode = 0660
lmtp_socket_owner = :postfix
web_listen =
web_base_url = https://lists.example.org
dns_nameserver = 127.0.0.1:$dns_port
authserv_id = lists.test
templates_dir = $scratch/templates
pipeline_workers = 2
log_level = info
CONF
cp -r "$top_srcdir/templates" "$scratch/templates"
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
check "the list" cli list create dev@example.org --owner boss@example.org
check "members" cli member add dev@example.org alice@author.example bob@relaxed.example mod@relaxed.example
sqlite3 "$db" "UPDATE members SET moderated = 1 WHERE address = 'mod@relaxed.example'"
check "a digest member and a disabled one" cli member add dev@example.org dig@relaxed.example off@relaxed.example
sqlite3 "$db" "UPDATE members SET delivery_mode = 'digest' WHERE address = 'dig@relaxed.example';
	       UPDATE members SET status = 'disabled' WHERE address = 'off@relaxed.example'"

"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "the daemon serves LMTP" wait_for "$scratch/daemon.log" "service=lmtp listen=unix:$sock served=yes"
check "the socket is group postfix, mode 0660" [ "$(stat -c '%G %a' "$sock")" = "postfix 660" ]

check "a private Postfix relays example.org to sealist" postfix_start "unix:$sock" example.org

# post NAME FROM SUBJECT [EXTRA-HEADER] -- $scratch/NAME.eml, CRLF
post() {
	{ printf '%s\r\n' "From: $2" "To: Dev <dev@example.org>" "Subject: $3" \
		"Date: Thu, 26 Nov 2026 10:00:00 +0000" "Message-ID: <$1@test>" \
		"MIME-Version: 1.0" "Content-Type: text/plain; charset=us-ascii"
	  [ -n "${4:-}" ] && printf '%s\r\n' "$4"
	  printf '\r\n%s\r\n' "Hello list, this is $1."; } >"$scratch/$1.eml"
}
sign() { "$sealist" dkim sign --domain author.example --selector s1 --key "$scratch/author.pem" \
	<"$scratch/$1.eml" >"$scratch/$1.signed" && mv "$scratch/$1.signed" "$scratch/$1.eml"; }
# via_postfix NAME CLIENT-IP MAIL-FROM RCPT...
via_postfix() {
	name=$1 ip=$2 from=$3; shift 3
	$send "127.0.0.1:$smtp_port" "$from" "$scratch/$name.eml" "$@" --smtp \
		--xclient "ADDR=$ip NAME=mx.client.example HELO=mx.client.example" >"$scratch/$name.smtp" 2>&1
}
# a busy timeout: the daemon's workers write while the test reads
sql() { sqlite3 -cmd ".timeout 10000" "$db" "$1"; }
# settled N -- until N messages are done in the inbox
settled() {
	i=0
	while [ $i -lt 150 ]; do
		[ "$(sql "SELECT count(*) FROM inbox WHERE state = 'done'")" -ge "$1" ] && return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}
# outbound_msg ID FILE -- the stored message bytes of an outbound row
outbound_msg() { sql "SELECT writefile('$2', message) FROM outbound WHERE id = $1" >/dev/null; }
# rcpt_state MSGID -- state of the post recipient of the message with that Message-ID
rcpt_state() {
	sql "SELECT r.state FROM inbox_rcpt r JOIN inbox i ON i.id = r.inbox_id
	     WHERE r.role = 'post' AND instr(CAST(i.message AS TEXT), '<$1@test>') > 0"
}

# becomes MSGID STATE -- until the post recipient of that message is in STATE
# (a moderator's reply finishes its own recipient first, then decides)
becomes() {
	i=0
	while [ $i -lt 150 ]; do
		[ "$(rcpt_state "$1")" = "$2" ] && return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}

# 1. A member whose domain publishes p=reject, signed, through Postfix.
post p1 "Alice Example <alice@author.example>" "first post"
sign p1
check "Postfix takes the post" via_postfix p1 192.0.2.10 bounce@author.example dev@example.org
check "sealist stores and handles it" settled 1
check "accepted: done" [ "$(rcpt_state p1)" = done ]
check "one outbound post row" [ "$(sql "SELECT count(*) FROM outbound WHERE kind = 'post'")" = 1 ]
outbound_msg 1 "$scratch/out1.eml"
check "XFORWARD reached sealist: client 192.0.2.10 stored" \
	[ "$(sql "SELECT client_ip FROM inbox WHERE id = 1")" = 192.0.2.10 ]
check "the verdict: dkim, spf and dmarc pass" sh -c \
	"sqlite3 '$db' 'SELECT authres FROM inbox WHERE id = 1' | tr -d '\r\n\t' | grep -q 'dkim=pass.*spf=pass.*dmarc=pass'"
check "From munged: 'Alice Example via dev'" grep -q '^From: "Alice Example via [^"]*" <dev@example.org>' "$scratch/out1.eml"
check "the author in Reply-To" grep -q '^Reply-To: .*alice@author.example' "$scratch/out1.eml"
check "the author's DKIM-Signature removed" sh -c "! grep -q '^DKIM-Signature:' '$scratch/out1.eml'"
check "our Authentication-Results on top" sh -c "head -n 1 '$scratch/out1.eml' | grep -q '^Authentication-Results: lists.test;'"
check "List-Id" grep -q '^List-Id: .*<dev.example.org>' "$scratch/out1.eml"
check "List-Post" grep -q '^List-Post: <mailto:dev@example.org>' "$scratch/out1.eml"
check "List-Unsubscribe with https and mailto" sh -c "tr -d '\r' <'$scratch/out1.eml' | sed -e :a -e '\$!N;s/\n / /;ta' -e 'P;D' | grep -q '^List-Unsubscribe: <https://lists.example.org/lists/dev@example.org/unsubscribe>, <mailto:dev-leave@example.org>'"
check "subject prefixed" grep -q '^Subject: \[dev\] first post' "$scratch/out1.eml"
check "Message-ID kept" grep -q '^Message-ID: <p1@test>' "$scratch/out1.eml"
check "the ARC verdict travels with the row" [ "$(sql "SELECT arc_cv FROM outbound WHERE id = 1")" = none ]
check "envelope sender is the bounce address" [ "$(sql "SELECT envelope_from FROM outbound WHERE id = 1")" = dev-bounces@example.org ]
check "queued for each active regular member, in the same step" \
	[ "$(sql "SELECT group_concat(recipient, ' ') FROM (SELECT recipient FROM deliveries WHERE outbound_id = 1 ORDER BY recipient)")" = "alice@author.example bob@relaxed.example mod@relaxed.example" ]
check "queue ls shows it" sh -c "'$sealist' -c '$scratch/sealist.conf' queue ls | grep -q '^1	dev@example.org	post	queued 3	delivered 0	bounced 0	next '"

# 2. p=none and SPF pass: From stays.
post p2 "Bob <bob@relaxed.example>" "second post"
check "Postfix takes p2" via_postfix p2 198.51.100.5 bob@relaxed.example dev@example.org
check "handled" settled 2
check "accepted" [ "$(rcpt_state p2)" = done ]
id=$(sql "SELECT max(id) FROM outbound WHERE kind = 'post'")
outbound_msg "$id" "$scratch/out2.eml"
check "p=none: From unchanged" grep -q '^From: Bob <bob@relaxed.example>' "$scratch/out2.eml"
check "the To field is byte-identical" sh -c "grep -q '^To: Dev <dev@example.org>' '$scratch/out2.eml'"

# 3. A forgery: From alice@author.example (p=reject), unsigned, from a foreign IP.
post p3 "Alice Example <alice@author.example>" "forged post"
check "Postfix takes the forgery" via_postfix p3 203.0.113.9 alice@author.example dev@example.org
check "handled" settled 3
check "held" [ "$(rcpt_state p3)" = held ]
check "reason: DMARC fail" [ "$(sql "SELECT reason FROM held WHERE subject = 'forged post'")" = "DMARC fail" ]
check "moderators told (one notice to the owner)" \
	[ "$(sql "SELECT count(*) FROM outbound WHERE kind = 'notice' AND recipients = 'boss@example.org'")" = 1 ]
check "the notice is queued for the owner" \
	[ "$(sql "SELECT count(*) FROM deliveries q JOIN outbound o ON o.id = q.outbound_id WHERE o.kind = 'notice' AND q.recipient = 'boss@example.org'")" -ge 1 ]
check "never the forged From" \
	[ "$(sql "SELECT count(*) FROM outbound WHERE kind = 'notice' AND recipients LIKE '%alice@author.example%'")" = 0 ]

# 4. A non-member: held, both told; a moderated member: held.
post p4 "Carol <carol@relaxed.example>" "from a stranger"
check "Postfix takes p4" via_postfix p4 198.51.100.7 carol@relaxed.example dev@example.org
post p5 "Mod <mod@relaxed.example>" "moderated member"
check "Postfix takes p5" via_postfix p5 198.51.100.7 mod@relaxed.example dev@example.org
check "handled" settled 5
check "non-member held" [ "$(rcpt_state p4)" = held ]
check "moderated member held" [ "$(rcpt_state p5)" = held ]
check "the poster is told it waits" \
	[ "$(sql "SELECT count(*) FROM outbound WHERE kind = 'notice' AND recipients = 'carol@relaxed.example'")" = 1 ]
n=$(sql "SELECT id FROM outbound WHERE kind = 'notice' AND recipients = 'carol@relaxed.example'")
outbound_msg "$n" "$scratch/notice.eml"
check "the notice is auto-replied mail (RFC 3834)" grep -q '^Auto-Submitted: auto-replied' "$scratch/notice.eml"
check "it answers the post" grep -q '^In-Reply-To: <p4@test>' "$scratch/notice.eml"

# 5. held ls / approve / reject through the CLI.
check "held ls shows three" [ "$(cli held ls dev@example.org | wc -l)" = 3 ]
hid=$(sql "SELECT id FROM held WHERE subject = 'from a stranger'")
check "approve the stranger's post" cli held approve "$hid"
check "it is done now" [ "$(rcpt_state p4)" = done ]
check "and enqueued once" [ "$(sql "SELECT count(*) FROM outbound WHERE kind = 'post'")" = 3 ]
check_fails "approving twice fails" cli held approve "$hid"
check "still enqueued once" [ "$(sql "SELECT count(*) FROM outbound WHERE kind = 'post'")" = 3 ]
fid=$(sql "SELECT id FROM held WHERE subject = 'forged post'")
check "reject the forgery" cli held reject "$fid"
check "rejected" [ "$(rcpt_state p3)" = rejected ]
check "still no word to the forged From" \
	[ "$(sql "SELECT count(*) FROM outbound WHERE recipients LIKE '%alice@author.example%'")" = 0 ]

# 6. The moderator replies by mail to the notice's confirm address.
token=$(sql "SELECT token FROM held WHERE subject = 'moderated member'")
{ printf '%s\r\n' "From: boss@example.org" "To: dev-confirm+$token@example.org" \
	"Subject: Re: dev: a post needs your approval" "Message-ID: <reply@test>" "" \
	"approve" "" "> A post to dev@example.org is held"; } >"$scratch/reply.eml"
check "the reply goes in over LMTP" sh -c "$send unix:$sock boss@example.org '$scratch/reply.eml' dev-confirm+$token@example.org --xforward 'ADDR=198.51.100.2' | grep -q ' 250 '"
check "handled" settled 6
check "the moderated member's post is approved" becomes p5 done
check "four posts enqueued" [ "$(sql "SELECT count(*) FROM outbound WHERE kind = 'post'")" = 4 ]

# 7. Loops, unknown addresses, the owner address, roles for later handlers.
post p6 "Alice Example <alice@author.example>" "looped" "List-Id: dev <dev.example.org>"
sign p6
$send "unix:$sock" bounce@author.example "$scratch/p6.eml" dev@example.org nosuch@example.org \
	dev-owner@example.org dev-request@example.org --xforward "ADDR=192.0.2.10" >"$scratch/p6.lmtp"
check "an unknown list: 550 5.1.1" grep -q '^nosuch@example.org 550 5.1.1' "$scratch/p6.lmtp"
check "the others: 250 each" [ "$(grep -c ' 250 ' "$scratch/p6.lmtp")" = 3 ]
check "handled" settled 7
check "our own List-Id: discarded" [ "$(rcpt_state p6)" = discarded ]
check "owner mail forwarded to the owners" \
	[ "$(sql "SELECT count(*) FROM outbound WHERE kind = 'forward' AND recipients = 'boss@example.org'")" = 1 ]
check "queue retry makes deliveries due" sh -c "'$sealist' -c '$scratch/sealist.conf' queue retry | grep -q 'due now'"
check "a command in a list's mail (List-Id) is not answered" \
	[ "$(sql "SELECT state FROM inbox_rcpt WHERE role = 'request'")" = discarded ]

# 8. A local failure that does not go away: the notice template vanishes.
mv "$scratch/templates/held-moderator.txt" "$scratch/held-moderator.txt"
post p7 "Dave <dave@relaxed.example>" "no template"
$send "unix:$sock" dave@relaxed.example "$scratch/p7.eml" dev@example.org --xforward "ADDR=198.51.100.7" >/dev/null
check "retried, then given up" settled 8
check "the recipient failed with the reason" sh -c \
	"sqlite3 '$db' \"SELECT reason FROM inbox_rcpt WHERE state = 'failed'\" | grep -q 'gave up after 10 attempts: template held-moderator'"
check "the error is kept with the message" sh -c \
	"sqlite3 '$db' \"SELECT last_error FROM inbox WHERE attempts >= 10\" | grep -q 'held-moderator'"
mv "$scratch/held-moderator.txt" "$scratch/templates/held-moderator.txt"

# 9. Held posts expire after max_days_to_hold.
post p8 "Erin <erin@relaxed.example>" "to expire"
$send "unix:$sock" erin@relaxed.example "$scratch/p8.eml" dev@example.org --xforward "ADDR=198.51.100.7" >/dev/null
check "handled" settled 9
check "held" [ "$(rcpt_state p8)" = held ]
sql "INSERT INTO list_settings (list_id, name, value) SELECT id, 'max_days_to_hold', '1' FROM lists"
sql "UPDATE held SET held_at = held_at - 2 * 86400 WHERE subject = 'to expire'"
i=0; while [ "$(rcpt_state p8)" = held ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
check "discarded when older than max_days_to_hold" [ "$(rcpt_state p8)" = discarded ]
check "with that reason" [ "$(sql "SELECT r.reason FROM inbox_rcpt r JOIN inbox i ON i.id = r.inbox_id
	WHERE instr(CAST(i.message AS TEXT), '<p8@test>') > 0")" = "held longer than max_days_to_hold" ]

# 10. Bounces: VERP names the member, the report says how it failed.
bounces=$top_srcdir/tests/data/bounces
sql "INSERT INTO list_settings (list_id, name, value) SELECT id, 'bounce_score_threshold', '1.0' FROM lists"
bounce() {	# bounce FILE RCPT -- from the null sender, as MTAs send them
	$send "unix:$sock" "" "$bounces/$1" "$2" --xforward "ADDR=203.0.113.50" >/dev/null
}
bounce_reason() {
	sql "SELECT r.reason FROM inbox_rcpt r WHERE r.role = 'bounces' AND r.address = '$1'
	     ORDER BY r.inbox_id DESC LIMIT 1"
}
bounce postfix-user-unknown.eml dev-bounces+alice=author.example@example.org
check "handled" settled 10
check "a hard bounce at threshold 1.0 disables the member" \
	[ "$(bounce_reason dev-bounces+alice=author.example@example.org)" = "alice@author.example hard: scored and disabled (score 1.0)" ]
check "alice is disabled" [ "$(sql "SELECT status || ' ' || disabled_by FROM members WHERE address = 'alice@author.example'")" = "disabled bounce" ]
check "bounces ls says so" sh -c "'$sealist' -c '$scratch/sealist.conf' bounces ls dev@example.org | grep -q '^alice@author.example	score 1.0	last .*	disabled by bounce	dmarc 0'"
bounce o365-dmarc-5.7.509.eml dev-bounces+bob=relaxed.example@example.org
check "handled" settled 11
check "a DMARC-caused rejection is not scored" \
	[ "$(bounce_reason dev-bounces+bob=relaxed.example@example.org)" = "bob@relaxed.example dmarc: DMARC-caused, not scored (score 0.0)" ]
check "bob stays enabled, one DMARC rejection counted" \
	[ "$(sql "SELECT status || ' ' || bounce_score || ' ' || bounce_dmarc FROM members WHERE address = 'bob@relaxed.example'")" = "enabled 0.0 1" ]
bounce not-a-bounce.eml dev-bounces@example.org
check "handled" settled 12
check "an unrecognised bounce goes to the owners" \
	[ "$(bounce_reason dev-bounces@example.org)" = "forwarded to the owners" ]

# 11. Nothing handled twice across a restart.
rows=$(sql "SELECT count(*) FROM outbound")
kill "$daemon"
check "the daemon stops" wait_gone "$daemon" 10
"$sealistd" -f -c "$scratch/sealist.conf" 2>>"$scratch/daemon.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "restarted" wait_for "$scratch/daemon.log" "served=yes"
sleep 1.5
check "no row added by the restart ($rows)" [ "$(sql "SELECT count(*) FROM outbound")" = "$rows" ]
check "nothing pending" [ "$(sql "SELECT count(*) FROM inbox_rcpt WHERE state = 'pending'")" = 0 ]
kill "$daemon"
wait_gone "$daemon" 10
tap_done
