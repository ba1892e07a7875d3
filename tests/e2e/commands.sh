#!/bin/sh
# commands.sh -- subscribers by mail, end to end through the real sealistd:
# mail in over LMTP, every mail sealist sends out through smtp_relay to
# tests/tools/smtp_sink.py, each one checked for its content, its headers
# (Auto-Submitted, RFC 3834) and a DKIM signature by example.org that
# dkimpy verifies (tests/oracle/dkimpy_verify.py, keys from dnsmasq).
#
# The newcomer's story: LIST-join@ -> confirmation; a reply to it ->
# welcome; "set digest plain" to LIST-request@ -> results; a post goes to
# the other members, not to the digest member; "unsubscribe" in the
# Subject -> confirmation; confirmed -> goodbye.  Then the abuse rules: a
# forged subscription of a third party yields only a confirmation to the
# third party; 100 requests from one address within a minute get at most
# request_replies_per_hour answers; auto-replies and bounces to -request
# get none; expired, re-used and other lists' tokens are refused with a
# reply saying so.  A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
send="$py $top_srcdir/tests/tools/lmtp_send.py"
zone=$scratch/zone.txt

if ! command -v sqlite3 >/dev/null || ! $py -c 'import dkim, dns.resolver' 2>/dev/null; then
	not_ok "sqlite3 and /usr/bin/python3 with python3-dkim and -dnspython"
	tap_done
	exit 1
fi

db=$scratch/sealist.db
sock=$scratch/lmtp.sock
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 -cmd ".timeout 10000" "$db" "$1"; }
write_conf() {
	cat >"$scratch/sealist.conf" <<CONF
database = $db
keys_dir = $scratch/keys
lmtp_listen = unix:$sock
web_listen =
web_base_url = https://lists.example.org
dns_nameserver = 127.0.0.1:${dns_port:-53}
authserv_id = lists.test
templates_dir = $top_srcdir/templates
log_level = info
smtp_relay = smtp://127.0.0.1:${sink_port:-25}
smtp_starttls = off
retry_schedule = 1s
request_replies_per_hour = 5
CONF
}
write_conf

# -- keys, DNS, the sink ------------------------------------------------------
check "an RSA key for example.org" sh -c "'$sealist' -c '$scratch/sealist.conf' key generate example.org >/dev/null"
: >"$zone"
cli key dns example.org | awk '/^[^ \t]/ { if (l != "") print l; l = $0; next }
	{ l = l " " $0 } END { if (l != "") print l }' >>"$zone"
check "dnsmasq serves example.org's key" dnsmasq_zone dns "$zone" --local=/example/ --local=/example.org/
dns_port=$port
mkdir -p "$scratch/sink"
$py "$top_srcdir/tests/tools/smtp_sink.py" --dir "$scratch/sink" >"$scratch/sink.out" 2>&1 &
at_exit "kill $! 2>/dev/null"
check "the sink listens" wait_for "$scratch/sink.out" '^port ' 10
sink_port=$(awk '/^port /{print $2}' "$scratch/sink.out")
write_conf

check "the list" cli list create dev@example.org --owner boss@example.org
check "a second list" cli list create ops@example.org --owner boss@example.org
check "an existing member" cli member add dev@example.org alice@old.example

"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon.log" &
at_exit "kill $! 2>/dev/null"
check "the daemon serves LMTP" wait_for "$scratch/daemon.log" "service=lmtp listen=unix:$sock served=yes"

# -- helpers ---------------------------------------------------------------------
n=0
# mail FROM TO SUBJECT [BODY [EXTRA-HEADER]] -- send over LMTP (envelope = FROM)
mail() {
	n=$((n + 1))
	{ printf '%s\r\n' "From: <$1>" "To: <$2>" "Subject: $3" \
		"Date: Fri, 27 Nov 2026 11:00:00 +0000" "Message-ID: <m$n@test>"
	  [ -n "${5:-}" ] && printf '%s\r\n' "$5"
	  printf '\r\n%s\r\n' "${4:-}"; } >"$scratch/in$n.eml"
	$send "unix:$sock" "$1" "$scratch/in$n.eml" "$2" >/dev/null
}
count() { ls "$scratch/sink" | grep -c '\.eml$'; }
# wait_count N -- until the sink has N messages (10 s)
wait_count() {
	i=0
	while [ $i -lt 50 ]; do [ "$(count)" -ge "$1" ] && return 0; sleep 0.2; i=$((i + 1)); done
	diag "the sink has $(count) messages, not $1"; return 1
}
# settled -- until no inbox recipient is pending and nothing is queued
settled() {
	i=0
	while [ $i -lt 50 ]; do
		[ "$(sql "SELECT (SELECT count(*) FROM inbox_rcpt WHERE state = 'pending')
			  + (SELECT count(*) FROM deliveries WHERE state = 'queued')")" = 0 ] && return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}
last() { ls "$scratch/sink" | grep '\.eml$' | sort -n | tail -1 | sed "s|^|$scratch/sink/|"; }
# the message N at the sink, its envelope recipient
rcpt_of() { sed -n 's/^rcpt //p' "${1%.eml}.env"; }
header() { $py -c 'import sys, email; m = email.message_from_binary_file(open(sys.argv[1], "rb")); print(m.get(sys.argv[2], ""))' "$1" "$2"; }
body() { $py -c 'import sys, email; m = email.message_from_binary_file(open(sys.argv[1], "rb")); print(m.get_payload(decode=True).decode("utf-8"))' "$1"; }
dkim_ok() {
	r=$($py "$top_srcdir/tests/oracle/dkimpy_verify.py" --dns "127.0.0.1:$dns_port" "$1" | cut -f2)
	[ "$r" = pass ] || { diag "dkimpy: $r"; return 1; }
}
token_of() { header "$1" Subject | sed -n 's/.*confirm \([A-Za-z0-9]*\).*/\1/p'; }
# one_notice WHAT TO SUBJECT-WORDS -- the newest mail: to TO, Subject matching,
# Auto-Submitted set, DKIM by example.org passing
newest_is() {
	f=$(last)
	check "$1: to $2" [ "$(rcpt_of "$f")" = "$2" ]
	check "$1: Subject says \"$3\"" sh -c "$(printf '%s' "echo \"\$1\" | grep -qi \"\$2\"")" _ "$(header "$f" Subject)" "$3"
	check "$1: Auto-Submitted auto-replied or auto-generated" \
		sh -c "echo '$(header "$f" Auto-Submitted)' | grep -q '^auto-\(replied\|generated\)'"
	check "$1: DKIM by example.org passes (dkimpy)" dkim_ok "$f"
}

# -- 1. a newcomer joins by LIST-join@ --------------------------------------------
mail newcomer@new.example dev-join@example.org "join"
check "a confirmation is sent" wait_count 1
newest_is "confirmation" newcomer@new.example "confirm"
f=$(last)
token=$(token_of "$f")
check "the token has at least 128 bits (32 hex or 26 base32 characters)" [ "${#token}" -ge 26 ]
check "Reply-To is dev-confirm+TOKEN@" [ "$(header "$f" Reply-To | tr -d '<>')" = "dev-confirm+$token@example.org" ]
check "the body links the web confirmation page" sh -c "/usr/bin/python3 -c 'import email, sys; print(email.message_from_binary_file(open(sys.argv[1], \"rb\")).get_payload(decode=True).decode())' '$f' | grep -q '^    https://lists.example.org/lists/dev@example.org/confirm/$token\$'"
check "not a member yet" [ "$(sql "SELECT count(*) FROM members WHERE address = 'newcomer@new.example'")" = 0 ]

# -- 2. a plain reply to the confirmation ------------------------------------------
mail newcomer@new.example "dev-confirm+$token@example.org" "Re: confirm $token" \
	"$(printf 'Yes please.\r\n\r\nOn Fri, 27 Nov 2026, dev-owner@example.org wrote:\r\n> Someone asked')"
check "a welcome is sent" wait_count 2
newest_is "welcome" newcomer@new.example "welcome"
check "now a member" [ "$(sql "SELECT count(*) FROM members WHERE address = 'newcomer@new.example'")" = 1 ]
mail newcomer@new.example "dev-confirm+$token@example.org" "Re: confirm $token" "again"
check "a re-used token gets a reply" wait_count 3
check "  saying the token is no longer valid" sh -c "echo '$(body "$(last)")' | grep -qi 'no such confirmation token\|already\|expired\|no longer'"

# -- 3. digest mode by LIST-request@ -------------------------------------------------
mail newcomer@new.example dev-request@example.org "" "$(printf 'set digest plain\r\n-- \r\nNew Comer')"
check "the results come back" wait_count 4
newest_is "results" newcomer@new.example ""
check "  with the command and \"processed\"" sh -c "body=\$(printf '%s' \"\$1\"); echo \"\$body\" | grep -q '>>> set digest plain' && echo \"\$body\" | grep -qi processed" _ "$(body "$(last)")"
check "the member is in digest mode" [ "$(sql "SELECT delivery_mode FROM members WHERE address = 'newcomer@new.example'")" = digest ]

# -- 4. a post reaches the regular member, not the digest member -------------------------
mail newcomer@new.example dev@example.org "hello everyone" "My first post."
check "the post goes out" wait_count 5
f=$(last)
check "to alice, the regular member" [ "$(rcpt_of "$f")" = alice@old.example ]
settled
check "and to nobody else (the digest member waits for the digest)" [ "$(count)" = 5 ]

# -- 4b. acknowledgements on, own posts off --------------------------------------------------
mail alice@old.example dev-request@example.org "" "$(printf 'set ack on\r\nset myposts off\r\nend')"
check "alice's results come back" wait_count 6
check "  both options processed" sh -c "[ \$(echo \"\$1\" | grep -ci processed) -ge 2 ]" _ "$(body "$(last)")"
mail alice@old.example dev@example.org "my own post" "Alice writes."
check "alice's post is acknowledged" wait_count 7
newest_is "acknowledgement" alice@old.example "accepted"
settled
check "  and nobody gets a copy (alice: myposts off; the newcomer: digest)" \
	[ "$(sql "SELECT count(*) FROM deliveries q JOIN outbound o ON o.id = q.outbound_id WHERE o.kind = 'post' AND o.id = (SELECT max(id) FROM outbound WHERE kind = 'post')")" = 0 ]
check "  the sink has nothing more" [ "$(count)" = 7 ]

# -- 5. unsubscribe by LIST-request@ with the word in the Subject, confirmed ---------------
mail newcomer@new.example dev-request@example.org "unsubscribe"
check "an unsubscribe confirmation" wait_count 8
newest_is "unsubscribe confirmation" newcomer@new.example "confirm"
token=$(token_of "$(last)")
mail newcomer@new.example "dev-confirm+$token@example.org" "Re: confirm $token"
check "goodbye" wait_count 9
newest_is "goodbye" newcomer@new.example ""
check "no longer a member" [ "$(sql "SELECT count(*) FROM members WHERE address = 'newcomer@new.example'")" = 0 ]

# -- 6. a forged subscription of a third party -------------------------------------------
mail mallory@evil.example dev-request@example.org "subscribe address=victim@victim.example"
check "one mail goes out" wait_count 10
settled
check "  only one" [ "$(count)" = 10 ]
check "  the confirmation, to the third party" [ "$(rcpt_of "$(last)")" = victim@victim.example ]
check "  nothing to the requester" sh -c "! grep -l '^rcpt mallory@evil.example' '$scratch'/sink/*.env"

# -- 7. tokens: expired, another list's ------------------------------------------------------
mail late@new.example dev-join@example.org "join"
check "a confirmation for a late joiner" wait_count 11
late=$(token_of "$(last)")
sql "UPDATE pending_requests SET expires_at = 1 WHERE token = '$late'"
mail late@new.example "dev-confirm+$late@example.org" "Re: confirm $late"
check "an expired token gets a reply" wait_count 12
check "  saying it expired" sh -c "echo '$(body "$(last)")' | grep -qi 'expired'"
check "  and subscribes nobody" [ "$(sql "SELECT count(*) FROM members WHERE address = 'late@new.example'")" = 0 ]
mail other@new.example dev-join@example.org "join"
check "a confirmation for dev" wait_count 13
other=$(token_of "$(last)")
mail other@new.example ops-request@example.org "confirm $other"
check "confirming it at ops gets a reply" wait_count 14
check "  saying it belongs to another list" sh -c "echo '$(body "$(last)")' | grep -qi 'another list'"
check "  and subscribes nobody to ops" [ "$(sql "SELECT count(*) FROM members m JOIN lists l ON l.id = m.list_id WHERE l.local_part = 'ops'")" = 0 ]

# -- 7b. a list whose subscriptions need an owner's approval --------------------------------
sqlite3 "$db" "INSERT INTO list_settings (list_id, name, value) SELECT id, 'subscribe_policy', '2' FROM lists WHERE local_part = 'ops'"
mail appr@new.example ops-join@example.org "join"
i=0; while [ $i -lt 50 ] && ! grep -q '^rcpt boss@example.org' "$scratch"/sink/*.env 2>/dev/null; do sleep 0.2; i=$((i + 1)); done
check "the owner is asked to approve" grep -l '^rcpt boss@example.org' "$scratch"/sink/*.env
cli request ls ops@example.org >"$scratch/requests"
check "sealist request ls shows it awaiting approval" grep -q "	ops@example.org	subscribe	appr@new.example	awaiting_approval	" "$scratch/requests"
appr=$(cut -f1 "$scratch/requests" | head -1)
check "sealist request approve" cli request approve "$appr"
check "  makes appr a member of ops" [ "$(sql "SELECT count(*) FROM members m JOIN lists l ON l.id = m.list_id WHERE l.local_part = 'ops' AND m.address = 'appr@new.example'")" = 1 ]
i=0; while [ $i -lt 50 ] && ! grep -l '^rcpt appr@new.example' "$scratch"/sink/*.env 2>/dev/null | xargs -r grep -l . | while read -r e; do grep -qi '^Subject:.*welcome' "${e%.env}.eml" && echo y; done | grep -q y; do sleep 0.2; i=$((i + 1)); done
check "  and welcomes them" sh -c "grep -l '^rcpt appr@new.example' '$scratch'/sink/*.env | sed 's/env\$/eml/' | xargs grep -qi '^Subject:.*welcome'"
check "a second decision finds nothing" sh -c "! '$sealist' -c '$scratch/sealist.conf' request reject '$appr' 2>/dev/null"
settled

# -- 8. no answer to auto-replies, bounces and lists -------------------------------------------
before=$(count)
mail robot@new.example dev-request@example.org "help" "" "Auto-Submitted: auto-replied"
mail lister@new.example dev-request@example.org "help" "" "Precedence: list"
n=$((n + 1))
printf '%s\r\n' "From: MAILER-DAEMON@mx.new.example" "To: dev-request@example.org" \
	"Subject: Undelivered Mail" "Message-ID: <m$n@test>" "" "help" >"$scratch/in$n.eml"
$send "unix:$sock" "" "$scratch/in$n.eml" dev-request@example.org >/dev/null
settled
check "no reply to Auto-Submitted, Precedence: list or a null sender" [ "$(count)" = "$before" ]

# -- 9. 100 requests from one address in a minute -------------------------------------------
before=$(count)
i=0
while [ $i -lt 100 ]; do mail flood@new.example dev-request@example.org "help"; i=$((i + 1)); done
settled
sleep 1
replies=$(grep -l '^rcpt flood@new.example' "$scratch"/sink/*.env | wc -l)
check "100 requests in a minute get at most request_replies_per_hour (5) replies: $replies" \
	sh -c "[ $replies -ge 1 ] && [ $replies -le 5 ]"
check "  and the rest are recorded as not answered" \
	[ "$(sql "SELECT count(*) FROM inbox_rcpt WHERE address = 'dev-request@example.org' AND reason LIKE '%request_replies_per_hour%'")" -ge 95 ]
check "no error in the daemon's log" sh -c "! grep -q 'level=error' '$scratch/daemon.log'"
tap_done
