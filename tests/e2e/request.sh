#!/bin/sh
# request.sh -- mail commands through the real sealistd: a subscription by
# mail to LIST-request@ and its confirmation by a plain reply (Reply-To
# LIST-confirm+TOKEN@, Subject "Re: confirm TOKEN"), LIST-join@ confirmed
# with a "confirm TOKEN" command, LIST-leave@, and an auto-reply that is
# never answered.  Messages go in over LMTP on a unix socket; what sealist
# would send is read from the outbound table.  A missing tool is a
# failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
send="$py $top_srcdir/tests/tools/lmtp_send.py"
zone=$scratch/zone.txt

if ! command -v sqlite3 >/dev/null; then
	not_ok "sqlite3 is installed"
	tap_done
	exit 1
fi

printf '%s TXT "%s"\n' relaxed.example "v=spf1 ip4:198.51.100.0/24 -all" \
	_dmarc.relaxed.example "v=DMARC1; p=none" >"$zone"
check "dnsmasq serves the zone" dnsmasq_zone dns "$zone" --local=/example/
dns_port=$port

db=$scratch/sealist.db
sock=$scratch/lmtp.sock
cat >"$scratch/sealist.conf" <<CONF
database = $db
lmtp_listen = unix:$sock
web_listen =
dns_nameserver = 127.0.0.1:$dns_port
authserv_id = lists.test
templates_dir = $scratch/templates
pipeline_workers = 1
smtp_relay = smtp://127.0.0.1:9
log_level = info
allow_open_subscribe = no
pending_request_life = 2d
request_replies_per_hour = 20
request_max_commands = 10
CONF
cp -r "$top_srcdir/templates" "$scratch/templates"
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
check "the list" cli list create dev@example.org --owner boss@example.org

"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "the daemon serves LMTP" wait_for "$scratch/daemon.log" "service=lmtp listen=unix:$sock served=yes"

sql() { sqlite3 -cmd ".timeout 10000" "$db" "$1"; }
settled() {
	i=0
	while [ $i -lt 150 ]; do
		[ "$(sql "SELECT count(*) FROM inbox WHERE state = 'done'")" -ge "$1" ] && return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}
# mail NAME FROM TO SUBJECT [BODY-LINE|HEADER:...]... -- $scratch/NAME.eml, sent over LMTP
mail() {
	name=$1 from=$2 to=$3 subject=$4; shift 4
	{ printf '%s\r\n' "From: $from" "To: $to" "Subject: $subject" \
		"Date: Thu, 26 Nov 2026 10:00:00 +0000" "Message-ID: <$name@test>"
	  for a in "$@"; do case $a in H:*) printf '%s\r\n' "${a#H:}";; esac; done
	  printf '\r\n'
	  for a in "$@"; do case $a in H:*) ;; *) printf '%s\r\n' "$a";; esac; done
	} >"$scratch/$name.eml"
	$send "unix:$sock" "$from" "$scratch/$name.eml" "$to" --xforward "ADDR=198.51.100.2" \
		>"$scratch/$name.lmtp" && grep -q ' 250 ' "$scratch/$name.lmtp"
}
member() { [ "$(sql "SELECT count(*) FROM members WHERE address = '$1'")" = "$2" ]; }
to() { sql "SELECT count(*) FROM outbound WHERE kind = 'notice' AND recipients = '$1' AND instr(CAST(message AS TEXT), '$2') > 0"; }

# 1. subscribe by mail to LIST-request@
check "a subscribe request goes in" mail r1 carol@relaxed.example dev-request@example.org "hello" "subscribe" "" "-- " "Carol"
check "handled" settled 1
check "a confirmation to carol" [ "$(to carol@relaxed.example 'Subject: confirm ')" = 1 ]
check "and nothing else: the confirmation is the answer" [ "$(to carol@relaxed.example '')" = 1 ]
token=$(sql "SELECT token FROM pending_requests WHERE address = 'carol@relaxed.example'")
check "its Reply-To is LIST-confirm+TOKEN@" [ "$(to carol@relaxed.example "Reply-To: <dev-confirm+$token@example.org>")" = 1 ]
check "not a member yet" member carol@relaxed.example 0

# 2. carol replies to the confirmation
check "the reply goes in" mail r2 carol@relaxed.example "dev-confirm+$token@example.org" "Re: confirm $token" "" "> Someone, perhaps you"
check "handled" settled 2
check "carol is a member" member carol@relaxed.example 1
check "the welcome goes out" [ "$(to carol@relaxed.example 'Subject: Welcome to dev@example.org')" = 1 ]
check "the recipient is done" [ "$(sql "SELECT state FROM inbox_rcpt WHERE role = 'confirm'")" = done ]

# 3. LIST-join@, confirmed with a command in the body
check "a join goes in" mail r3 dave@relaxed.example dev-join@example.org "join"
check "handled" settled 3
token=$(sql "SELECT token FROM pending_requests WHERE address = 'dave@relaxed.example'")
check "a confirmation to dave" [ "$(to dave@relaxed.example "Subject: confirm $token")" = 1 ]
check "confirm TOKEN goes in" mail r4 dave@relaxed.example dev-request@example.org "commands" "confirm $token"
check "handled" settled 4
check "dave is a member" member dave@relaxed.example 1
check "dave: the welcome is the answer" [ "$(to dave@relaxed.example 'Subject: Welcome to dev@example.org')" = 1 ]
check "dave: two mails in all" [ "$(to dave@relaxed.example '')" = 2 ]

# 4. an auto-reply to the confirmation is never answered nor acted on
check "an auto-reply goes in" mail r5 erin@relaxed.example dev-request@example.org "Out of office: subscribe" "H:Auto-Submitted: auto-replied" "subscribe"
check "handled" settled 5
check "discarded with the rule" [ "$(sql "SELECT reason FROM inbox_rcpt WHERE role = 'request' AND address = 'dev-request@example.org' AND state = 'discarded'" | grep -c 'Auto-Submitted')" = 1 ]
check "nothing to erin" [ "$(to erin@relaxed.example '')" = 0 ]

# 5. LIST-leave@: a confirmation (the From is not DMARC-authenticated)
check "a leave goes in" mail r6 carol@relaxed.example dev-leave@example.org "bye"
check "handled" settled 6
token=$(sql "SELECT token FROM pending_requests WHERE address = 'carol@relaxed.example' AND kind = 'unsubscribe'")
check "a confirmation to leave" [ "$(to carol@relaxed.example "Subject: confirm $token")" = 1 ]
check "its reply goes in" mail r7 carol@relaxed.example "dev-confirm+$token@example.org" "Re: confirm $token"
check "handled" settled 7
check "carol has left" member carol@relaxed.example 0
check "the goodbye goes out" [ "$(to carol@relaxed.example 'Subject: You have left dev@example.org')" = 1 ]

kill "$daemon"
wait_gone "$daemon" 10
tap_done
