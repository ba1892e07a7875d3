#!/bin/sh
# delivery_relay.sh -- the delivery workers (src/delivery.c) through a real
# relay: a private Postfix on loopback offering STARTTLS (a self-signed
# certificate made here with openssl, smtpd_tls_security_level = may) and
# AUTH through Cyrus SASL with a sasldb user (Debian's sasl2-bin for
# saslpasswd2, libsasl2-modules for the sasldb/PLAIN/LOGIN plugins),
# relaying only for authenticated clients to tests/tools/smtp_sink.py.
# sealist uses smtp_starttls = required, smtp_tls_verify = no and
# smtp_user/smtp_password.  Checked: a post reaches the sink through
# Postfix for each member, its DKIM signatures still verify with dkimpy,
# Postfix logged the TLS session and the SASL login; with a wrong password
# the rows stay queued with last_error naming AUTH and nothing is delivered;
# past max_queue_lifetime they are given up without charging the members.
# The Postfix here is started by postfix_relay_start below (this file's
# own helper; tests/lib.sh's postfix_start makes an LMTP front end).
# A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
send="$py $top_srcdir/tests/tools/lmtp_send.py"
sink="$top_srcdir/tests/tools/smtp_sink.py"
saslpasswd2=$(command -v saslpasswd2 || ls /usr/sbin/saslpasswd2 2>/dev/null)

if ! command -v sqlite3 >/dev/null || ! command -v openssl >/dev/null \
   || [ -z "$saslpasswd2" ] || ! ls /usr/lib/*/sasl2/libsasldb.so* >/dev/null 2>&1 \
   || ! { command -v postfix || ls /usr/sbin/postfix; } >/dev/null 2>&1 \
   || ! $py -c 'import dkim, nacl, dns.resolver' 2>/dev/null; then
	not_ok "sqlite3, openssl, postfix, sasl2-bin, libsasl2-modules and /usr/bin/python3 with python3-dkim are installed"
	tap_done
	exit 1
fi

# postfix_relay_start SINK_PORT USER PASSWORD -- a private Postfix (run as
# root, config and queue under $scratch/relay) on a random loopback port:
# STARTTLS offered with a fresh self-signed certificate, AUTH (PLAIN,
# LOGIN) only after STARTTLS against a Cyrus sasldb holding USER, relaying
# for authenticated clients only, everything to 127.0.0.1:SINK_PORT.
# Sets $relay_port; logs to $scratch/relay/maillog; stopped at exit.
postfix_relay_start() {
	rf=$scratch/relay
	postfix=$(command -v postfix || ls /usr/sbin/postfix 2>/dev/null) || return 1
	chmod 755 "$scratch" || return 1
	mkdir -p "$rf/queue" "$rf/data" || return 1
	chown postfix "$rf/data" || return 1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=relay.sealist.test \
		-keyout "$rf/key.pem" -out "$rf/cert.pem" 2>/dev/null || return 1
	# smtpd runs as postfix and reads the sasldb itself (auxprop)
	echo "$3" | "$saslpasswd2" -p -c -f "$rf/sasldb2" -u relay.sealist.test "$2" || return 1
	chown postfix "$rf/sasldb2" || return 1
	# Debian's Postfix reads Cyrus's smtpd.conf from CONFIG_DIRECTORY/sasl/
	mkdir -p "$rf/sasl" || return 1
	cat >"$rf/sasl/smtpd.conf" <<EOT
pwcheck_method: auxprop
auxprop_plugin: sasldb
sasldb_path: $rf/sasldb2
mech_list: PLAIN LOGIN
EOT
	relay_port=$(random_port)
	cat >"$rf/main.cf" <<EOT
compatibility_level = 3.6
queue_directory = $rf/queue
data_directory = $rf/data
mail_owner = postfix
setgid_group = postdrop
myhostname = relay.sealist.test
mydomain = sealist.test
myorigin = \$myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relay_domains =
mynetworks = 127.0.0.1/32
relayhost = [127.0.0.1]:$1
smtp_dns_support_level = disabled
smtp_tls_security_level = none
smtpd_tls_security_level = may
smtpd_tls_cert_file = $rf/cert.pem
smtpd_tls_key_file = $rf/key.pem
smtpd_tls_loglevel = 1
smtpd_tls_auth_only = yes
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = $rf/sasl
smtpd_sasl_local_domain = relay.sealist.test
smtpd_sasl_security_options = noanonymous
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions =
maillog_file = $rf/maillog
maillog_file_prefixes = $rf
biff = no
smtputf8_enable = no
EOT
	postfix_master_cf "$rf" "$relay_port"
	"$postfix" -c "$rf" check >"$rf/check.log" 2>&1 || { sed 's/^/# /' "$rf/check.log"; return 1; }
	"$postfix" -c "$rf" start >"$rf/start.log" 2>&1 || { sed 's/^/# /' "$rf/start.log"; return 1; }
	at_exit "'$postfix' -c '$rf' stop >/dev/null 2>&1"
	wait_for "$rf/maillog" "daemon started" 10
}

# -- DNS: the list domain's keys, the poster's SPF ------------------------------
db=$scratch/sealist.db
sock=$scratch/lmtp.sock
write_conf() {	# write_conf PASSWORD
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
smtp_relay = smtp://127.0.0.1:${relay_port:-25}
smtp_starttls = required
smtp_tls_verify = no
smtp_user = list
smtp_password = $1
smtp_connections = 2
retry_schedule = 1s
CONF
}
write_conf x
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 "$db" "$1"; }
cli key generate example.org >/dev/null && cli key generate example.org --type ed25519 >/dev/null
check "RSA and Ed25519 keys for example.org" [ "$(cli key ls example.org | wc -l)" = 2 ]
cli key dns example.org | awk '/^[^ \t]/ { if (l != "") print l; l = $0; next }
	{ l = l " " $0 } END { if (l != "") print l }' >"$scratch/zone"
printf '%s\n' 'relaxed.example TXT "v=spf1 ip4:198.51.100.0/24 -all"' >>"$scratch/zone"
check "dnsmasq serves the zone" dnsmasq_zone dns "$scratch/zone" --local=/example/ --local=/example.org/
dns_port=$port

# -- the sink, the relay -----------------------------------------------------------
mkdir -p "$scratch/sink"
$py "$sink" --dir "$scratch/sink" >"$scratch/sink.out" 2>"$scratch/sink.err" &
at_exit "kill $! 2>/dev/null"
check "the sink listens" wait_for "$scratch/sink.out" '^port ' 10
sink_port=$(awk '/^port /{print $2}' "$scratch/sink.out")
pw='s3cret relay pw'
check "a private Postfix with STARTTLS and SASL (sasldb) relays to the sink" \
	postfix_relay_start "$sink_port" list "$pw"
write_conf "$pw"

# -- the list --------------------------------------------------------------------
members="bob@relaxed.example ann@a.example carl@b.example Dora@c.example eve@d.example"
check "the list" sh -c "'$sealist' -c '$scratch/sealist.conf' list create dev@example.org >/dev/null"
# shellcheck disable=SC2086
check "five members" sh -c "'$sealist' -c '$scratch/sealist.conf' member add dev@example.org $members >/dev/null"

"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "the daemon serves LMTP" wait_for "$scratch/daemon.log" "service=lmtp listen=unix:$sock served=yes"

post() {	# post NAME -- over LMTP from bob
	printf '%s\r\n' "From: Bob <bob@relaxed.example>" "To: dev@example.org" "Subject: $1" \
		"Date: Fri, 27 Nov 2026 10:00:00 +0000" "Message-ID: <$1@test>" "" \
		"Hello list, this is $1." >"$scratch/$1.eml"
	$send "unix:$sock" bob@relaxed.example "$scratch/$1.eml" dev@example.org \
		--xforward ADDR=198.51.100.5 | grep -q ' 250 '
}
msgs() { ls "$scratch/sink" | grep -c '\.env$'; }
# until N messages are at the sink, or SECONDS
sink_has() {
	i=0; limit=$(( $2 * 5 ))
	while [ $i -lt $limit ]; do
		[ "$(msgs)" -ge "$1" ] && return 0
		sleep 0.2; i=$((i + 1))
	done
	diag "$(msgs) of $1 at the sink"; return 1
}
state_of() {	# state_of POST -- "state count" lines of its deliveries
	sql "SELECT q.state || ' ' || count(*) FROM deliveries q JOIN outbound o ON o.id = q.outbound_id
	     WHERE instr(CAST(o.message AS TEXT), '<$1@test>') > 0 GROUP BY q.state"
}

# ---- 1. the right password ---------------------------------------------------------
check "LMTP takes p1" post p1
check "five messages reach the sink through Postfix" sink_has 5 30
check "the five rows are delivered" sh -c "i=0; while [ \$i -lt 50 ]; do [ \"\$(sqlite3 '$db' \"SELECT count(*) FROM deliveries WHERE state = 'delivered'\")\" = 5 ] && exit 0; sleep 0.2; i=\$((i+1)); done; exit 1"
got=$(cat "$scratch"/sink/*.env | grep '^rcpt ' | sort | tr '\n' ' ')
want=$(for m in $members; do echo "rcpt $m"; done | sort | tr '\n' ' ')
check "each member exactly once" [ "$got" = "$want" ]
check "the envelope sender survives Postfix: VERP" \
	sh -c "grep -qx 'from dev-bounces+Dora=c.example@example.org' '$scratch'/sink/*.env"
check "Postfix's Received field is on top" sh -c "for f in '$scratch'/sink/*.eml; do head -1 \"\$f\" | grep -q '^Received: from ' || exit 1; done"
$py "$top_srcdir/tests/oracle/dkimpy_verify.py" --dns "127.0.0.1:$dns_port" "$scratch"/sink/*.eml \
	>"$scratch/dkimpy.out" 2>&1
check "dkimpy: both signatures (rsa-sha256, ed25519-sha256) pass on all 5" \
	[ "$(cut -f2 "$scratch/dkimpy.out" | sort | uniq -c | tr -s ' ')" = " 5 pass,pass" ]
[ "$(cut -f2 "$scratch/dkimpy.out" | sort -u)" = pass,pass ] || sed 's/^/# /' "$scratch/dkimpy.out"
check "the signers are example.org, RSA and Ed25519" \
	sh -c "for f in '$scratch'/sink/*.eml; do tr -d '\r\n\t ' <\"\$f\" | grep -o 'DKIM-Signature:v=1;a=[a-z0-9-]*;c=relaxed/relaxed;d=example.org' | sort | tr '\n' ' ' | grep -qx 'DKIM-Signature:v=1;a=ed25519-sha256;c=relaxed/relaxed;d=example.org DKIM-Signature:v=1;a=rsa-sha256;c=relaxed/relaxed;d=example.org ' || exit 1; done"
ml=$scratch/relay/maillog
check "Postfix: the TLS session with sealist" grep -q 'smtpd\[.*TLS connection established from localhost\[127.0.0.1\]' "$ml"
check "Postfix: the SASL login of user list" grep -Eq 'smtpd\[.*client=localhost\[127.0.0.1\], sasl_method=(PLAIN|LOGIN), sasl_username=list' "$ml"
check "Postfix: relayed to the sink" grep -q "relay=127.0.0.1\[127.0.0.1\]:$sink_port.*status=sent" "$ml"

# ---- 2. a wrong password -------------------------------------------------------------
kill "$daemon"
check "the daemon stops" wait_gone "$daemon" 10
write_conf "wrong"
"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon2.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "restarted with a wrong password" wait_for "$scratch/daemon2.log" "served=yes" 10
check "LMTP takes p2" post p2
# retry_schedule 1s: tried more than once, still queued
check "the rows are tried at least twice" sh -c "i=0; while [ \$i -lt 75 ]; do [ \"\$(sqlite3 '$db' \"SELECT count(*) FROM deliveries WHERE outbound_id = 2 AND attempts >= 2\")\" = 5 ] && exit 0; sleep 0.2; i=\$((i+1)); done; exit 1"
check "all five rows still queued" [ "$(state_of p2)" = "queued 5" ]
errs=$(sql "SELECT DISTINCT last_error FROM deliveries WHERE outbound_id = 2")
diag "last_error: $errs"
check "last_error names AUTH" sh -c "echo '$errs' | grep -q 'AUTH'"
check "the daemon logs the AUTH failure" grep -q 'error=auth' "$scratch/daemon2.log"
check "Postfix refused the login" grep -q 'SASL PLAIN authentication failed\|SASL LOGIN authentication failed' "$ml"
check "nothing more at the sink" [ "$(msgs)" = 5 ]
check "nothing of p2 in Postfix's queue" [ -z "$(find "$scratch/relay/queue/incoming" "$scratch/relay/queue/active" "$scratch/relay/queue/deferred" -type f 2>/dev/null)" ]

# ---- 3. still wrong, past max_queue_lifetime: given up, members not blamed ----
# The relay refusing our login says nothing about the members: the rows
# end bounced ("gave up"), but no bounce is scored against anyone (with
# the members' scores charged, a misconfigured relay would disable the
# whole list).
kill "$daemon"
check "the daemon stops again" wait_gone "$daemon" 10
write_conf "wrong"
echo "max_queue_lifetime = 3s" >>"$scratch/sealist.conf"
"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon3.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
check "restarted with max_queue_lifetime = 3s" wait_for "$scratch/daemon3.log" "served=yes" 10
check "p2's rows are given up" sh -c "i=0; while [ \$i -lt 75 ]; do [ \"\$(sqlite3 '$db' \"SELECT count(*) FROM deliveries WHERE outbound_id = 2 AND state = 'bounced'\")\" = 5 ] && exit 0; sleep 0.2; i=\$((i+1)); done; exit 1"
check "last_error: gave up, AUTH" [ "$(sql "SELECT count(*) FROM deliveries WHERE outbound_id = 2 AND last_error LIKE 'gave up after % attempts: AUTH refused%'")" = 5 ]
check "no member's bounce score charged for the relay's refusal" \
	[ "$(sql "SELECT count(*) FROM members WHERE bounce_score > 0 OR status <> 'enabled'")" = 0 ]
check "no bounce reported to the bounce module" sh -c "! grep -q 'event=bounce' '$scratch/daemon3.log'"
check "still nothing more at the sink" [ "$(msgs)" = 5 ]
kill "$daemon"
wait_gone "$daemon" 10
tap_done
