#!/bin/sh
# delivery_retry.sh -- what the delivery workers (src/delivery.c) make of
# the relay's refusals, end to end: the real sealistd delivers posts to
# tests/tools/smtp_sink.py, whose script refuses some recipients:
#   grey*@x.test   rcpt once 451     queued again, delivered: attempts 2
#   hard*@x.test   rcpt always 550   bounced at once: attempts 1, the 550 kept
#   drop@x.test    drop-data         connection lost mid-DATA: retried, and
#                                    delivered once the sink is restarted
#                                    without that rule (smtp_sink.py has no
#                                    "once" form of drop-data)
#   stuck@x.test   rcpt always 451   retried every second until
#                                    max_queue_lifetime (6s): bounced, "gave up"
# Each row of deliveries is checked exactly, and every other member gets
# the post exactly once.  Then verp = no, personalize = 0 and one
# connection: the same refusals inside one batched transaction are honoured
# recipient by recipient.  A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
send="$py $top_srcdir/tests/tools/lmtp_send.py"
sink="$top_srcdir/tests/tools/smtp_sink.py"

if ! command -v sqlite3 >/dev/null || ! $py -c 'import smtplib' 2>/dev/null; then
	not_ok "sqlite3 and /usr/bin/python3 are installed"
	tap_done
	exit 1
fi

db=$scratch/sealist.db
sock=$scratch/lmtp.sock
write_conf() {	# write_conf VERP
	cat >"$scratch/sealist.conf" <<CONF
database = $db
keys_dir = $scratch/keys
lmtp_listen = unix:$sock
web_listen =
web_base_url = https://lists.example.org
dns_nameserver = 127.0.0.1:$dns_port
authserv_id = lists.test
templates_dir = $top_srcdir/templates
log_level = info
smtp_relay = smtp://127.0.0.1:$sink_port
smtp_starttls = off
smtp_connections = 1
verp = $1
max_rcpt_per_txn = 100
retry_schedule = 1s
max_queue_lifetime = 6s
CONF
}
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 "$db" "$1"; }

# DNS: only what the pipeline asks about the poster (SPF pass, no DMARC).
printf '%s\n' 'relaxed.example TXT "v=spf1 ip4:198.51.100.0/24 -all"' >"$scratch/zone"
check "dnsmasq serves the zone" dnsmasq_zone dns "$scratch/zone" --local=/example/
dns_port=$port

cat >"$scratch/rules" <<'EOT'
grey1@x.test rcpt once 451 4.7.1 greylisted, try later
grey2@x.test rcpt once 451 4.7.1 greylisted, try later
hard1@x.test rcpt always 550 5.1.1 no such user
hard2@x.test rcpt always 550 5.1.1 no such user
stuck@x.test rcpt always 451 4.3.0 try again much later
drop@x.test drop-data 300
EOT
grep -v '^drop@' "$scratch/rules" >"$scratch/rules.nodrop"
# start_sink DIR RULES [PORT] -- (re)start the sink storing into
# $scratch/DIR (a new one each time: a sink numbers its files from 1);
# sets $sink_port
start_sink() {
	mkdir -p "$scratch/$1"
	$py "$sink" --dir "$scratch/$1" --script "$2" ${3:+--port "$3"} \
		>"$scratch/$1.out" 2>"$scratch/$1.err" &
	sink_pid=$!
	at_exit "kill $sink_pid 2>/dev/null"
	wait_for "$scratch/$1.out" '^port ' 10 || return 1
	sink_port=$(awk '/^port /{print $2}' "$scratch/$1.out")
}
check "the sink listens" start_sink sink1 "$scratch/rules"
write_conf yes

check "the list" sh -c "'$sealist' -c '$scratch/sealist.conf' list create dev@example.org >/dev/null"
i=1; okm=""; while [ $i -le 20 ]; do okm="$okm ok$i@ok.example"; i=$((i + 1)); done
# shellcheck disable=SC2086
check "members" cli member add dev@example.org bob@relaxed.example grey1@x.test grey2@x.test \
	hard1@x.test hard2@x.test drop@x.test stuck@x.test $okm
others="bob@relaxed.example $okm"

"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "the daemon serves LMTP" wait_for "$scratch/daemon.log" "service=lmtp listen=unix:$sock served=yes"

post() {	# post NAME -- over LMTP from bob
	printf '%s\r\n' "From: Bob <bob@relaxed.example>" "To: dev@example.org" "Subject: $1" \
		"Date: Fri, 27 Nov 2026 10:00:00 +0000" "Message-ID: <$1@test>" "" \
		"Hello list, this is $1, long enough to be cut by drop-data." \
		"$(printf 'filler %.0s' $(seq 1 60))" >"$scratch/$1.eml"
	$send "unix:$sock" bob@relaxed.example "$scratch/$1.eml" dev@example.org \
		--xforward ADDR=198.51.100.5 | grep -q ' 250 '
}
# row POST RCPT -- "state attempts last_error" of that delivery
row() {
	sql "SELECT q.state || ' ' || q.attempts || ' ' || coalesce(q.last_error, '-')
	     FROM deliveries q JOIN outbound o ON o.id = q.outbound_id
	     WHERE o.kind = 'post' AND instr(CAST(o.message AS TEXT), '<$1@test>') > 0
	       AND q.recipient = '$2'"
}
# until ROW of POST RCPT matches the grep pattern, or SECONDS
row_becomes() {
	i=0; limit=$(( $4 * 5 ))
	while [ $i -lt $limit ]; do
		row "$1" "$2" | grep -q -- "$3" && return 0
		sleep 0.2; i=$((i + 1))
	done
	diag "$2: $(row "$1" "$2")"; return 1
}
# copies POST RCPT -- how many messages of POST reached the sink for RCPT
copies() {
	n=0
	for env in "$scratch"/sink[0-9]/*.env; do
		[ -e "$env" ] || continue
		grep -q "<$1@test>" "${env%.env}.eml" || continue
		grep -qx "rcpt $2" "$env" && n=$((n + 1))
	done
	echo $n
}
# exact POST RCPT "ROW" -- the row is exactly that (says what it is if not)
exact() {
	got=$(row "$1" "$2")
	[ "$got" = "$3" ] && return 0
	diag "$2: got '$got'"; return 1
}

# ---- 1. VERP, one recipient per transaction -------------------------------
check "LMTP takes p1" post p1
check "grey1: 451 once, then delivered" row_becomes p1 grey1@x.test '^delivered' 10
check "grey2: delivered" row_becomes p1 grey2@x.test '^delivered' 10
check "drop: the lost connection is a temporary failure, queued again" \
	row_becomes p1 drop@x.test '^queued [1-9]' 10
drop_err=$(row p1 drop@x.test)
check "drop: last_error says the connection was lost mid-DATA" \
	sh -c "echo '$drop_err' | grep -q '^queued [1-9][0-9]* connection to relay lost.*354'"
# the sink again, same port, without the drop-data rule
kill "$sink_pid"; wait_gone "$sink_pid" 5
check "the sink restarts without the drop rule" start_sink sink2 "$scratch/rules.nodrop" "$sink_port"
check "drop: delivered later" row_becomes p1 drop@x.test '^delivered' 10
check "stuck: given up after max_queue_lifetime" row_becomes p1 stuck@x.test '^bounced' 15

check "grey1 row: delivered, attempts 2, no error left" exact p1 grey1@x.test "delivered 2 -"
check "grey2 row: delivered, attempts 2, no error left" exact p1 grey2@x.test "delivered 2 -"
check "hard1 row: bounced, attempts 1, the 550" exact p1 hard1@x.test "bounced 1 550 5.1.1 no such user"
check "hard2 row: bounced, attempts 1, the 550" exact p1 hard2@x.test "bounced 1 550 5.1.1 no such user"
check "hard1 never retried (one result logged, no deferral)" \
	[ "$(grep -c 'rcpt=hard1@x.test status=' "$scratch/daemon.log")" = 1 ]
drop_row=$(row p1 drop@x.test)
check "drop row: delivered after $(echo "$drop_row" | awk '{print $2}') attempts (>= 2), no error left" \
	sh -c "echo '$drop_row' | grep -Eq '^delivered ([2-9]|[1-9][0-9]+) -\$'"
st=$(row p1 stuck@x.test)
n=$(echo "$st" | awk '{print $2}')
check "stuck row: bounced after $n attempts (>= 3 in 6s at 1s), says it gave up and why" \
	[ "$st" = "bounced $n gave up after $n attempts: 451 4.3.0 try again much later" -a "$n" -ge 3 ]
check "stuck: the last attempt was within the lifetime" \
	[ "$(grep -c 'rcpt=stuck@x.test status=deferred' "$scratch/daemon.log")" = "$((n - 1))" ]
check "drop: one copy at the sink" [ "$(copies p1 drop@x.test)" = 1 ]
check "grey1: one copy at the sink" [ "$(copies p1 grey1@x.test)" = 1 ]
check "hard1, stuck: no copy" [ "$(copies p1 hard1@x.test)$(copies p1 stuck@x.test)" = 00 ]
bad=""
for m in $others; do
	[ "$(copies p1 "$m")" = 1 ] && [ "$(row p1 "$m")" = "delivered 1 -" ] || bad="$bad $m"
done
check "the 21 others: delivered at the first attempt, exactly one copy each${bad:+ (not:$bad)}" [ -z "$bad" ]
check "p1: nothing left queued" [ "$(sql "SELECT count(*) FROM deliveries WHERE state = 'queued'")" = 0 ]
check "the outbound row is done" [ "$(sql "SELECT state FROM outbound WHERE kind = 'post'")" = done ]
check "the bounce module heard of the 550: hard1 scored" \
	[ "$(sql "SELECT bounce_score > 0 FROM members WHERE address = 'hard1@x.test'")" = 1 ]

# ---- 2. verp = no, personalize = 0: one batched transaction ------------------
kill "$daemon"
check "the daemon stops" wait_gone "$daemon" 10
sql "INSERT INTO list_settings (list_id, name, value) SELECT id, 'personalize', '0' FROM lists"
# a fresh sink: its "once" rules count again
kill "$sink_pid"; wait_gone "$sink_pid" 5
check "a fresh sink" start_sink sink3 "$scratch/rules.nodrop" "$sink_port"
write_conf no
"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon2.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "restarted with verp = no" wait_for "$scratch/daemon2.log" "served=yes" 10
check "LMTP takes p2" post p2
check "batch: grey1 delivered on the retry" row_becomes p2 grey1@x.test '^delivered' 10
check "batch: stuck given up" row_becomes p2 stuck@x.test '^bounced' 15
first=$(ls "$scratch/sink3" | grep '\.env$' | sort -n | head -1)
check "batch: the first transaction carried the 22 accepted recipients (bounce address as sender)" \
	[ "$(sort "$scratch/sink3/$first")" = "$({ printf 'from dev-bounces@example.org\n'; for m in bob@relaxed.example drop@x.test $okm; do echo "rcpt $m"; done; } | sort)" ]
check "batch: grey1 row delivered, attempts 2" exact p2 grey1@x.test "delivered 2 -"
check "batch: grey2 row delivered, attempts 2" exact p2 grey2@x.test "delivered 2 -"
check "batch: hard1 row bounced, attempts 1, the 550" exact p2 hard1@x.test "bounced 1 550 5.1.1 no such user"
check "batch: hard2 row bounced, attempts 1, the 550" exact p2 hard2@x.test "bounced 1 550 5.1.1 no such user"
st=$(row p2 stuck@x.test)
n=$(echo "$st" | awk '{print $2}')
check "batch: stuck row gave up after $n attempts" \
	[ "$st" = "bounced $n gave up after $n attempts: 451 4.3.0 try again much later" -a "$n" -ge 3 ]
bad=""
for m in $others drop@x.test; do
	[ "$(copies p2 "$m")" = 1 ] && [ "$(row p2 "$m")" = "delivered 1 -" ] || bad="$bad $m"
done
check "batch: the 22 others delivered once, first attempt${bad:+ (not:$bad)}" [ -z "$bad" ]
check "batch: grey1 and grey2 once each" [ "$(copies p2 grey1@x.test)$(copies p2 grey2@x.test)" = 11 ]
check "batch: no transaction without VERP sender" sh -c "! grep -h '^from ' '$scratch'/sink3/*.env | grep -qv '^from dev-bounces@example.org$'"
kill "$daemon"
wait_gone "$daemon" 10
tap_done
