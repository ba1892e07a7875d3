#!/bin/sh
# browser.sh -- the web pages in a real browser: Debian's chromium, headless,
# driven by playwright-core (tests/browser/flows.js, one flow per call, each
# in a fresh browser) against the real sealistd over HTTPS, with mail in
# over LMTP and every mail out caught by tests/tools/smtp_sink.py.  The
# flows: log in (and a wrong password refused); the login form by keyboard
# only; the admin pages; a setting saved in the form and seen by "sealist
# config export"; a member added and removed and seen by "sealist member
# ls"; a held post approved and then delivered to the members; the public
# subscribe form, then the confirmation link from the mail at the sink;
# the List-Unsubscribe URL of a delivered copy (GET changes nothing, the
# button unsubscribes); the DMARC report page of the scripted week of
# reports (tests/data/dmarc-reports/week).  Full-page screenshots of every main page go to
# $top_builddir/tests/browser-out/.  A missing tool is a failure, never a
# skip.
#
# HTTPS because RFC 8058 one-click URLs are only written for an https
# web_base_url (src/delivery.c): the daemon serves TLS itself with a
# self-signed certificate made here (web_tls_cert/web_tls_key), so the
# URL in the delivered mail is the test daemon's own, and the browser and
# curl accept that certificate (ignoreHTTPSErrors, curl -k).
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
send="$py $top_srcdir/tests/tools/lmtp_send.py"
out=$top_builddir/tests/browser-out

# need_tools and web_login (bench/web.sh) are tests/lib.sh's, from helpers A1/A2
need_tools curl sqlite3 openssl node npm /usr/bin/chromium $py
# scripts/deps.sh installs playwright-core with "npm install -g"
NODE_PATH=$(npm root -g); export NODE_PATH
if ! node -e "require('playwright-core')" 2>"$scratch/node.err"; then
	not_ok "playwright-core is installed (scripts/deps.sh test)"
	diag "$(head -1 "$scratch/node.err")"
	tap_done
	exit 1
fi

db=$scratch/sealist.db
sock=$scratch/lmtp.sock
list=dev@example.org
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 -cmd ".timeout 10000" "$db" "$1"; }
write_conf() {
	cat >"$scratch/sealist.conf" <<CONF
database = $db
keys_dir = $scratch/keys
lmtp_listen = unix:$sock
web_listen = 127.0.0.1:1
web_base_url = https://127.0.0.1:1
web_tls_cert = $scratch/cert.pem
web_tls_key = $scratch/key.pem
templates_dir = $top_srcdir/templates
www_dir = $top_srcdir/www
dns_nameserver = 127.0.0.1:${dns_port:-53}
authserv_id = lists.test
pipeline_workers = 1
smtp_relay = smtp://127.0.0.1:${sink_port:-25}
smtp_starttls = off
retry_schedule = 1s
log_level = info
outbound_ips = 192.0.2.25 2001:db8:25::25
CONF
}

# -- a certificate, DNS, the sink, the list, the site admin ------------------
check "a self-signed certificate for 127.0.0.1" sh -c "openssl req -x509 -newkey rsa:2048 \
	-nodes -keyout '$scratch/key.pem' -out '$scratch/cert.pem' -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 2>'$scratch/openssl.err'"
# authors' domains answer NXDOMAIN here instead of asking the world
check "dnsmasq for the authors' domains" dnsmasq_start dns --local=/example/ \
	--local=/example.org/ --local=/example.net/
dns_port=$port
mkdir -p "$scratch/sink"
$py "$top_srcdir/tests/tools/smtp_sink.py" --dir "$scratch/sink" >"$scratch/sink.out" 2>&1 &
at_exit "kill $! 2>/dev/null"
check "the sink listens" wait_for "$scratch/sink.out" '^port ' 10
sink_port=$(awk '/^port /{print $2}' "$scratch/sink.out")
port=""
write_conf
check "the list" cli list create $list --owner boss@example.org
check "two members" cli member add $list alice@example.net bob@example.net
check "a DKIM key for example.org" sh -c "'$sealist' -c '$scratch/sealist.conf' key generate example.org >/dev/null"
pass=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$pass" >"$scratch/password"
check "a site admin" cli admin add admin --password-file "$scratch/password"

started=no
web_serve "$scratch/sealist.conf" "$scratch/daemon.log" && started=yes
check "the daemon serves the web over HTTPS" [ "$started" = yes ]
if [ "$started" != yes ]; then
	while IFS= read -r line; do diag "$line"; done <"$scratch/daemon.log"
	tap_done
	exit 1
fi
base=https://127.0.0.1:$port
check "  TLS on its port" sh -c "curl -ks -o /dev/null -w '%{http_code}' '$base/lists/$list/' | grep -qx 200"

rm -rf "$out"
mkdir -p "$out"

# flow NAME [VAR=VALUE...] -- run one browser flow; its PASS/FAIL
# lines become TAP lines; fails if the flow failed
flow() {
	fl_name=$1; shift
	env BASE="$base" LIST="$list" ADMIN_USER=admin ADMIN_PASS="$pass" OUT="$out" "$@" \
		node "$top_srcdir/tests/browser/flows.js" "$fl_name" \
		>"$scratch/flow-$fl_name.out" 2>"$scratch/flow-$fl_name.err"
	fl_rc=$?
	fl_failed=0
	while IFS= read -r fl_line; do
		case $fl_line in
		"PASS "*) ok "$fl_name: ${fl_line#PASS }" ;;
		"FAIL "*) not_ok "$fl_name: ${fl_line#FAIL }"; fl_failed=1 ;;
		*) diag "$fl_name: $fl_line" ;;
		esac
	done <"$scratch/flow-$fl_name.out"
	if [ "$fl_rc" -ne 0 ] && [ "$fl_failed" = 0 ]; then
		not_ok "$fl_name: node exited $fl_rc"
		while IFS= read -r fl_line; do diag "$fl_line"; done <"$scratch/flow-$fl_name.err"
	fi
	[ "$fl_rc" -eq 0 ]
}
is_member() { cli member ls $list | grep -qiF "$1"; }

# sink_has RCPT TEXT -- a message at the sink for RCPT containing
# TEXT (a fixed string); prints its file
sink_has() {
	for env in "$scratch"/sink/*.env; do
		f=${env%.env}.eml
		[ -f "$env" ] && grep -qx "rcpt $1" "$env" && grep -qF -- "$2" "$f" \
			&& { echo "$f"; return 0; }
	done
	return 1
}
# sink_find RCPT TEXT -- sink_has, waiting for it up to 20 s
sink_find() {
	i=0
	while [ $i -lt 100 ]; do
		sink_has "$1" "$2" && return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}
sink_wait() { sink_find "$@" >/dev/null; }
sink_none() { ! sink_has "$@" >/dev/null; }
header() { $py -c 'import sys, email; m = email.message_from_binary_file(open(sys.argv[1], "rb")); print(m.get(sys.argv[2], ""))' "$1" "$2"; }
body() { $py -c 'import sys, email; m = email.message_from_binary_file(open(sys.argv[1], "rb")); print(m.get_payload(decode=True).decode("utf-8"))' "$1"; }

# -- 1. log in; 7. the same by keyboard; the admin pages ---------------------
flow login
flow keyboard
flow pages

# -- 2. a setting --------------------------------------------------------------
prefix="[web $$]"
flow settings PREFIX="$prefix"
check "config export has the new subject_prefix" \
	sh -c "'$sealist' -c '$scratch/sealist.conf' config export $list | grep -F 'subject_prefix' | grep -qF '$prefix'"

# -- 3. a member added and removed ---------------------------------------------
flow member_add ADDRESS=dora@example.net NAME="Dora Web"
check "member ls shows dora" is_member dora@example.net
flow member_remove ADDRESS=dora@example.net
check_fails "member ls no longer shows dora" is_member dora@example.net
check "  alice is still a member" is_member alice@example.net

# -- 4. a held post approved ------------------------------------------------------
printf '%s\r\n' "From: Stranger <stranger@outside.example>" "To: <$list>" \
	"Subject: held for the browser" "Date: Fri, 27 Nov 2026 11:00:00 +0000" \
	"Message-ID: <browser-held@test>" "" "A post from a non-member." >"$scratch/held.eml"
check "a non-member's post goes in over LMTP" sh -c "$send unix:$sock stranger@outside.example '$scratch/held.eml' $list --xforward 'ADDR=198.51.100.7' | grep -q ' 250 '"
i=0
while [ "$(sql "SELECT count(*) FROM held WHERE subject = 'held for the browser'")" != 1 ] && [ $i -lt 100 ]; do
	sleep 0.2; i=$((i + 1))
done
hid=$(sql "SELECT id FROM held WHERE subject = 'held for the browser'")
check "it is held" [ -n "$hid" ]
flow held HELD_ID="$hid"
check "the approved post reaches alice" sink_wait alice@example.net "Message-ID: <browser-held@test>"
check "  and bob" sink_wait bob@example.net "Message-ID: <browser-held@test>"
check "  not dora" sink_none dora@example.net "Message-ID: <browser-held@test>"
copy=$(sink_find alice@example.net "Message-ID: <browser-held@test>")
check "  with the new subject_prefix" sh -c "grep -i '^Subject:' '$copy' | grep -qF '$prefix'"

# -- 6. unsubscribe from the delivered copy's List-Unsubscribe ----------------------
unsub=$(header "$copy" List-Unsubscribe | tr ',' '\n' | sed -n 's/^ *<\(https:[^>]*\)>.*/\1/p' | head -1)
diag "List-Unsubscribe URL: $unsub"
check "the copy has an https List-Unsubscribe URL of the daemon" \
	sh -c "case '$unsub' in '$base/lists/$list/unsubscribe/'*) true ;; *) false ;; esac"
check "  and List-Unsubscribe-Post" sh -c "grep -qi '^List-Unsubscribe-Post: List-Unsubscribe=One-Click' '$copy'"
flow link_open URL="$unsub" SHOT=oneclick
check "opening it changes nothing" is_member alice@example.net
flow link_press URL="$unsub" SHOT=oneclick HEADING=Unsubscribed
check_fails "the button unsubscribes alice" is_member alice@example.net
check "  bob stays" is_member bob@example.net

# -- 5. subscribe on the public page, confirm from the mail -------------------------
flow subscribe ADDRESS=carol@example.net
mail=$(sink_find carol@example.net "confirm")
check "the confirmation mail reaches carol" [ -n "$mail" ]
# the link to the confirmation page in the mail (templates/confirm-subscribe.txt)
curl_confirm=$(body "$mail" | grep -o "$base/lists/$list/confirm/[A-Za-z0-9]*" | head -1)
check "the confirmation mail links to its page" [ -n "$curl_confirm" ]
flow link_open URL="$curl_confirm" SHOT=confirm
check_fails "opening it changes nothing" is_member carol@example.net
flow link_press URL="$curl_confirm" SHOT=confirm HEADING=Confirmed
check "confirmed: member ls shows carol" is_member carol@example.net

# ---- H2: the DMARC report page over the scripted week -----------------------------
week=$top_srcdir/tests/data/dmarc-reports/week
set --
for f in "$week"/*; do
	[ "${f##*/}" = MANIFEST ] || set -- "$@" "$f"
done
check "import the scripted week of DMARC reports" sh -c "'$sealist' -c '$scratch/sealist.conf' dmarc-report import \"\$@\" >'$scratch/dmarc-import.out' 2>&1" sh "$@"
# the per-day figures, read from the files by Python's standard library
days_json=$($py "$top_srcdir/tests/oracle/dmarc_week.py" "$week" 1793491200 1794096000 "" json)
check "  the oracle reads the week" [ -n "$days_json" ]
flow dmarc DMARC_DOMAIN=lists.example.org DMARC_END=2026-11-07 DMARC_DAYS_JSON="$days_json"
# ---- end H2 ----

# -- the screenshots ---------------------------------------------------------------
for shot in login overview list-overview keys queue bounces members-narrow settings-narrow \
	settings members held held-narrow \
	held-post list subscribed confirm confirm-done oneclick oneclick-done \
	dmarc-week dmarc-week-narrow; do
	check "screenshot $shot.png" sh -c "[ -s '$out/$shot.png' ] && head -c 8 '$out/$shot.png' | grep -q PNG"
done

kill "$daemon"
check "the daemon stops" wait_gone "$daemon" 10
check "  cleanly" grep -q 'event=stop' "$scratch/daemon.log"
check_fails "no errors in the daemon's log" grep -q 'level=error' "$scratch/daemon.log"
# the sanitizer build of scripts/test.sh runs this test too
check_fails "no sanitizer reports" grep -q 'Sanitizer\|runtime error:' "$scratch/daemon.log"
tap_done
