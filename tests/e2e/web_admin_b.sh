#!/bin/sh
# web_admin_b.sh -- the admin overview (lists and the inbound
# authentication chart), a list's page, bounces with re-enable, the DKIM
# keys page (generate, DNS check, switching the signing key) and the
# delivery queue with retry, through the real sealistd and curl.
# Mail comes in over LMTP and is authenticated against DNS records that
# dnsmasq (Debian's dnsmasq-base) serves on loopback, so the chart counts
# real verdicts; the keys page's checks ask the same dnsmasq, restarted
# with each new zone.  Deliveries go to a closed port, so they defer.
# What the pages did is checked with the CLI and sqlite3, not only with
# the pages.  A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
send="$py $top_srcdir/tests/tools/lmtp_send.py"
zone=$scratch/zone.txt

dnsmasq=$(command -v dnsmasq || ls /usr/sbin/dnsmasq 2>/dev/null)
if [ -z "$dnsmasq" ] || ! command -v curl >/dev/null || ! command -v sqlite3 >/dev/null \
   || ! command -v openssl >/dev/null || ! $py -c 'import dkim' 2>/dev/null; then
	not_ok "dnsmasq (dnsmasq-base), curl, sqlite3, openssl and /usr/bin/python3 with" \
		"python3-dkim are installed"
	tap_done
	exit 1
fi

# web_login comes from tests/lib.sh (helper A2); until it is there, the same steps:
# GET /login for the pre-session token, POST it, print the session's csrf
if ! command -v web_login >/dev/null 2>&1; then
	web_login() {
		wl_t=$(curl -s -c "$4" -b "$4" "$1/login" \
			| sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
		curl -s -o /dev/null -c "$4" -b "$4" --data-urlencode "csrf=$wl_t" \
			--data-urlencode "user=$2" --data-urlencode "password=$3" "$1/login"
		curl -s -c "$4" -b "$4" "$1/admin/" \
			| sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1
	}
fi

db=$scratch/sealist.db
sock=$scratch/lmtp.sock
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 -cmd ".timeout 10000" "$db" "$1"; }
# eventually SQL OP VALUE -- until the number SQL gives is OP (test -ge, -gt, -eq) VALUE; 30 s
eventually() {
	ev_i=0
	while [ $ev_i -lt 150 ]; do
		[ "$(sql "$1")" "$2" "$3" ] 2>/dev/null && return 0
		sleep 0.2; ev_i=$((ev_i + 1))
	done
	return 1
}
cp -r "$top_srcdir/templates" "$scratch/templates"

# -- DNS: the authors' records; example.org's keys come later -----------------
record() { printf '%s TXT "%s"\n' "$1" "$2" >>"$zone"; }
: >"$zone"
p=$(dkim_keygen "$scratch/author.pem" rsa) || exit 1
other=$(dkim_keygen "$scratch/other.pem" rsa) || exit 1
record s1._domainkey.author.example "v=DKIM1; k=rsa; p=$p"
# s2 publishes another key than the one that signs with s2: DKIM fails
record s2._domainkey.author.example "v=DKIM1; k=rsa; p=$other"
record author.example "v=spf1 ip4:192.0.2.0/24 -all"
record _dmarc.author.example "v=DMARC1; p=none"
record relaxed.example "v=spf1 ip4:198.51.100.0/24 -all"
record _dmarc.relaxed.example "v=DMARC1; p=none"
cp "$zone" "$scratch/zone.base"
check "dnsmasq serves the zone" dnsmasq_zone dns "$zone" --local=/example/ --local=/example.org/
dns_port=$port dns_pid=$dnsmasq_pid

# dns_serve -- restart dnsmasq on the same port with $zone as it is now
dns_serve() {
	kill "$dns_pid" 2>/dev/null
	wait_gone "$dns_pid" 5
	set -- --local=/example/ --local=/example.org/
	while read -r opt; do
		[ -n "$opt" ] && set -- "$@" "$opt"
	done <<EOT
$($py "$top_srcdir/tests/oracle/dnsmasq_args.py" "$zone")
EOT
	: >"$scratch/dns2.log"
	"$dnsmasq" --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
		--bind-interfaces --listen-address=127.0.0.1 --port="$dns_port" --user="$(id -un)" \
		--pid-file="$scratch/dns2.pid" --log-queries=extra \
		--log-facility="$scratch/dns2.log" "$@" 2>"$scratch/dns2.err" &
	dns_pid=$!
	at_exit "kill $dns_pid 2>/dev/null"
	wait_for "$scratch/dns2.log" "started, version" 5 && sleep 0.2
}

# -- the relay: takes alice's copies, defers bob's, refuses carol's -------------
printf '%s\n' 'bob@relaxed.example rcpt always 451 4.3.0 try again later' \
	'carol@relaxed.example rcpt always 550 5.1.1 no such user' >"$scratch/sink.script"
mkdir -p "$scratch/sink"
$py "$top_srcdir/tests/tools/smtp_sink.py" --dir "$scratch/sink" --script "$scratch/sink.script" \
	>"$scratch/sink.out" 2>"$scratch/sink.err" &
at_exit "kill $! 2>/dev/null"
check "the sink listens" wait_for "$scratch/sink.out" '^port ' 10
sink_port=$(awk '/^port /{print $2}' "$scratch/sink.out")

# -- configuration, lists, accounts -----------------------------------------
cat >"$scratch/sealist.conf" <<CONF
database = $db
keys_dir = $scratch/keys
lmtp_listen = unix:$sock
web_listen = 127.0.0.1:1
www_dir = $top_srcdir/www
dns_nameserver = 127.0.0.1:$dns_port
authserv_id = lists.test
templates_dir = $scratch/templates
pipeline_workers = 1
log_level = info
smtp_relay = smtp://127.0.0.1:$sink_port
smtp_starttls = off
retry_schedule = 1h
CONF
check "list dev" cli list create dev@example.org --owner boss@example.org
check "list ops" cli list create ops@example.org --owner boss@example.org
check "dev's members" cli member add dev@example.org alice@author.example bob@relaxed.example \
	carol@relaxed.example
check "a digest member" cli member add dev@example.org dig@relaxed.example
sql "UPDATE members SET delivery_mode = 'digest' WHERE address = 'dig@relaxed.example'"
check "ops's member" cli member add ops@example.org bob@relaxed.example
printf 'root secret 1\n' >"$scratch/root.pw"
printf 'mod secret 2\n' >"$scratch/mod.pw"
check "a site admin" cli admin add root --password-file "$scratch/root.pw"
check "a moderator of dev" cli admin add mod --list dev@example.org --role moderator \
	--password-file "$scratch/mod.pw"

check "the daemon serves the web" web_serve "$scratch/sealist.conf" "$scratch/daemon.log"
check "the daemon serves LMTP" wait_for "$scratch/daemon.log" "service=lmtp listen=unix:$sock served=yes"

# -- mail in: two pass, one fails DKIM and DMARC, one passes DMARC by SPF -----
# post NAME FROM LIST -- $scratch/NAME.eml, CRLF
post() {
	printf '%s\r\n' "From: $2" "To: $3" "Subject: $1" "Date: Thu, 26 Nov 2026 10:00:00 +0000" \
		"Message-ID: <$1@test>" "MIME-Version: 1.0" "Content-Type: text/plain" "" \
		"Hello, this is $1." >"$scratch/$1.eml"
}
# sign NAME SELECTOR KEY
sign() { cli dkim sign --domain author.example --selector "$2" --key "$3" \
	<"$scratch/$1.eml" >"$scratch/$1.signed" && mv "$scratch/$1.signed" "$scratch/$1.eml"; }
lmtp() { $send "unix:$sock" "$2" "$scratch/$1.eml" "$3" --xforward "ADDR=$4 HELO=mx.test" \
	| grep -q ' 250 '; }
post m1 alice@author.example dev@example.org; sign m1 s1 "$scratch/author.pem"
post m2 alice@author.example dev@example.org; sign m2 s1 "$scratch/author.pem"
post m3 alice@author.example dev@example.org; sign m3 s2 "$scratch/author.pem"
post m4 bob@relaxed.example ops@example.org
check "LMTP takes m1 (DKIM pass, DMARC pass)" lmtp m1 alice@author.example dev@example.org 192.0.2.10
check "LMTP takes m2 (the same)" lmtp m2 alice@author.example dev@example.org 192.0.2.10
check "LMTP takes m3 (DKIM fail, DMARC fail)" lmtp m3 alice@author.example dev@example.org 203.0.113.9
check "LMTP takes m4 to ops (no DKIM, DMARC pass by SPF)" lmtp m4 bob@relaxed.example ops@example.org 198.51.100.5
check "the four are authenticated" eventually "SELECT count(*) FROM inbox WHERE verdict IS NOT NULL" -ge 4
check "the verdicts are as meant (dmarc pass, pass, fail, pass)" [ "$(sql "SELECT group_concat(substr(verdict, 1, instr(verdict, char(10)) - 1), ' ') FROM (SELECT verdict FROM inbox ORDER BY id)")" = "dmarc=pass dmarc=pass dmarc=fail dmarc=pass" ]

# -- overview ------------------------------------------------------------------
jar=$scratch/root.jar
csrf=$(web_login "$base" root "root secret 1" "$jar")
check "the site admin logs in" [ -n "$csrf" ]
# get PATH FILE -- GET with the site admin's session; prints the status
get() { curl -s -o "$2" -w '%{http_code}' -b "$jar" -c "$jar" "$base$1"; }
# postf PATH FILE FIELD=VALUE... -- POST with the session and csrf; prints the status
postf() {
	pf_path=$1 pf_out=$2; shift 2
	set -- --data-urlencode "csrf=$csrf" "$@"
	curl -s -o "$pf_out" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$base$pf_path"
}
today=$(date -u +%Y-%m-%d)
check "GET /admin/ answers 200" [ "$(get /admin/ "$scratch/ov.html")" = 200 ]
# bar SERIES COUNT FILE -- today's bar of SERIES has COUNT
bar() { grep -q "data-day=\"$today\" data-series=\"$1\" data-count=\"$2\"" "$3"; }
check "the lists table has dev" grep -q '<a href="/admin/lists/dev@example.org/">dev@example.org</a>' "$scratch/ov.html"
check "and ops" grep -q '>ops@example.org</a>' "$scratch/ov.html"
check "dev: 4 members, 3 regular, 1 digest" grep -q '>dev@example.org</a></th><td class="members">4</td><td class="regular">3</td><td class="digest">1</td>' "$scratch/ov.html"
check "the chart is an image with a title" grep -q '<svg [^>]*role="img" aria-labelledby="auth-chart-title"' "$scratch/ov.html"
check "14 days x 4 series = 56 bars" [ "$(grep -c '<rect class="bar ' "$scratch/ov.html")" = 56 ]
check "today: DKIM pass 2" bar dkim-pass 2 "$scratch/ov.html"
check "today: DKIM fail 1" bar dkim-fail 1 "$scratch/ov.html"
check "today: DMARC pass 3" bar dmarc-pass 3 "$scratch/ov.html"
check "today: DMARC fail 1" bar dmarc-fail 1 "$scratch/ov.html"
check "each bar says its number in words" grep -q "<title>$today: DMARC pass 3</title>" "$scratch/ov.html"
check "the table beside the chart has today's numbers" grep -q "<tr><th scope=\"row\">$today</th><td>2</td><td>1</td><td>3</td><td>1</td></tr>" "$scratch/ov.html"
yesterday=$(date -u -d yesterday +%Y-%m-%d)
check "and zeros for a day without mail" grep -q "<tr><th scope=\"row\">$yesterday</th><td>0</td><td>0</td><td>0</td><td>0</td></tr>" "$scratch/ov.html"

mjar=$scratch/mod.jar
mcsrf=$(web_login "$base" mod "mod secret 2" "$mjar")
check "the moderator logs in" [ -n "$mcsrf" ]
code=$(curl -s -o "$scratch/ov_mod.html" -w '%{http_code}' -b "$mjar" "$base/admin/")
check "the moderator's overview answers 200" [ "$code" = 200 ]
check "it has dev" grep -q '>dev@example.org</a>' "$scratch/ov_mod.html"
check "and not ops" sh -c "! grep -q 'ops@example.org' '$scratch/ov_mod.html'"
check "its chart counts dev's mail only: DMARC pass 2" bar dmarc-pass 2 "$scratch/ov_mod.html"
check "DKIM pass 2 (m4 went to ops)" bar dkim-pass 2 "$scratch/ov_mod.html"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$mjar" "$base/admin/keys")
check "the keys page is for site admins only (403)" [ "$code" = 403 ]
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$mjar" "$base/admin/queue")
check "so is the queue (403)" [ "$code" = 403 ]

# -- a list's page -----------------------------------------------------------------
check "GET /admin/lists/dev@example.org/ answers 200" [ "$(get /admin/lists/dev@example.org/ "$scratch/list.html")" = 200 ]
check "it shows the members" grep -q '<dd id="n-members">4</dd>' "$scratch/list.html"
check "and links to settings, members, held, bounces" sh -c "grep -q 'href=\"/admin/lists/dev@example.org/settings\"' '$scratch/list.html' && grep -q 'href=\"/admin/lists/dev@example.org/members\"' '$scratch/list.html' && grep -q 'href=\"/admin/lists/dev@example.org/held\"' '$scratch/list.html' && grep -q 'href=\"/admin/lists/dev@example.org/bounces\"' '$scratch/list.html'"
code=$(curl -s -o "$scratch/list_mod.html" -w '%{http_code}' -b "$mjar" "$base/admin/lists/dev@example.org/")
check "the moderator sees the list's page" [ "$code" = 200 ]
sed -n '/<ul id="list-links">/,/<\/ul>/p' "$scratch/list_mod.html" >"$scratch/links_mod"
check "with the held link but not the owner's pages" sh -c "grep -q '/held\"' '$scratch/links_mod' && ! grep -q '/bounces\"' '$scratch/links_mod'"

# -- queue -------------------------------------------------------------------------
# m1 and m2 reach alice, bob and carol (dig takes digests), m4 bob: bob's three
# are deferred for an hour, carol's two bounce, alice's two are delivered
check "bob's deliveries were tried and deferred" eventually "SELECT count(*) FROM deliveries WHERE state = 'queued' AND attempts > 0" -ge 3
check "alice's were delivered, carol's bounced, the owner got the held notice" \
	eventually "SELECT count(*) FROM deliveries WHERE state <> 'queued'" -ge 5
n_def=$(sql "SELECT count(*) FROM deliveries WHERE state = 'queued' AND attempts > 0")
n_q=$(sql "SELECT count(*) FROM deliveries WHERE state = 'queued' AND attempts = 0")
curl -s -b "$jar" "$base/admin/" >"$scratch/ov2.html"
check "the overview: dev has 2 deliveries deferred (bob's), 1 held post" grep -q '>dev@example.org</a></th>.*<td class="held">1</td><td class="requests">0</td><td class="queued">0</td><td class="deferred">2</td>' "$scratch/ov2.html"
check "ops has 1 deferred" grep -q '>ops@example.org</a></th>.*<td class="queued">0</td><td class="deferred">1</td>' "$scratch/ov2.html"
check "GET /admin/queue answers 200" [ "$(get /admin/queue "$scratch/q.html")" = 200 ]
check "it counts the deferred ($n_def)" grep -q "<dd id=\"n-deferred\">$n_def</dd>" "$scratch/q.html"
check "and the queued ($n_q)" grep -q "<dd id=\"n-queued\">$n_q</dd>" "$scratch/q.html"
check "the oldest waiting mail is named" grep -q '<p id="oldest">Oldest waiting: mail ' "$scratch/q.html"
# alice's two and the held-post notice to the owner
check "delivered 3 (queued in the last day)" grep -q '<dd id="n-delivered">3</dd>' "$scratch/q.html"
check "bounced 2" grep -q '<dd id="n-bounced">2</dd>' "$scratch/q.html"
check "the last errors show the relay's 451 for bob" grep -q '<td class="address">bob@relaxed.example</td><td class="state">queued</td><td>1</td><td>[0-9-]* [0-9:]*</td><td class="error">[^<]*451' "$scratch/q.html"
check "and its 550 for carol" grep -q '<td class="address">carol@relaxed.example</td><td class="state">bounced</td>.*550' "$scratch/q.html"
check "there is a Retry now button" grep -q '<button type="submit">Retry now</button>' "$scratch/q.html"
attempts=$(sql "SELECT sum(attempts) FROM deliveries")
check "POST /admin/queue/retry answers 303" [ "$(postf /admin/queue/retry "$scratch/retry.out")" = 303 ]
check "the deferred deliveries became due and were tried again at once" \
	eventually "SELECT sum(attempts) FROM deliveries" -gt "$attempts"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -d "csrf=wrong" "$base/admin/queue/retry")
check "a retry without the right csrf is refused (403)" [ "$code" = 403 ]

# -- bounces -------------------------------------------------------------------------
check "carol's 550 scored a hard bounce (1.0, once a day)" \
	eventually "SELECT CAST(bounce_score * 10 AS INTEGER) FROM members WHERE address = 'carol@relaxed.example'" -eq 10
check "GET bounces answers 200" [ "$(get /admin/lists/dev@example.org/bounces "$scratch/b0.html")" = 200 ]
check "carol: score 1.0, last bounce today, still enabled" grep -q '<td class="address">carol@relaxed.example</td><td class="score">1.0</td><td class="last">'"$today"'</td><td class="state">enabled</td>' "$scratch/b0.html"
check "the history has carol's two bounced deliveries with the relay's answer" [ "$(sed -n '/<table id="bounce-history">/,/<\/table>/p' "$scratch/b0.html" | grep -c '<td class="address">carol@relaxed.example</td>.*<td class="error">[^<]*550')" = 2 ]
check "and nothing of bob (deferred is not bounced)" sh -c "! sed -n '/<table id=\"bounce-history\">/,/<\\/table>/p' '$scratch/b0.html' | grep -q bob@"
now=$(date +%s)
sql "UPDATE members SET status = 'disabled', disabled_by = 'bounce', bounce_score = 5.0,
	bounce_last = $now, notices_left = 2 WHERE address = 'carol@relaxed.example'"
sql "UPDATE members SET bounce_score = 0.5, bounce_last = $now WHERE address = 'bob@relaxed.example'
	AND list_id = (SELECT id FROM lists WHERE local_part = 'dev')"
check "GET bounces answers 200" [ "$(get /admin/lists/dev@example.org/bounces "$scratch/b.html")" = 200 ]
check "carol: score 5.0, disabled by bounce, 2 warnings left" grep -q '<td class="address">carol@relaxed.example</td><td class="score">5.0</td><td class="last">'"$today"'</td><td class="state">disabled by bounce since '"$today"'</td><td class="warnings">2</td>' "$scratch/b.html"
check "bob: score 0.5, enabled" grep -q '<td class="address">bob@relaxed.example</td><td class="score">0.5</td>' "$scratch/b.html"
check "the overview counts two members with a bounce this week" sh -c "[ \"\$(curl -s -b '$jar' '$base/admin/' | grep -o '>dev@example.org</a></th>.*' | grep -o '<td class=\"bounces\">[0-9]*</td>')\" = '<td class=\"bounces\">2</td>' ]"
check "POST re-enable answers 303" [ "$(postf /admin/lists/dev@example.org/bounces/reenable "$scratch/re.out" --data-urlencode address=carol@relaxed.example)" = 303 ]
check "carol is enabled again, score 0, no warnings left" [ "$(sql "SELECT status || ' ' || coalesce(disabled_by, '-') || ' ' || bounce_score || ' ' || notices_left FROM members WHERE address = 'carol@relaxed.example'")" = "enabled - 0.0 0" ]
check "sealist bounces ls no longer lists her" sh -c "! '$sealist' -c '$scratch/sealist.conf' bounces ls dev@example.org | grep -q carol"
check "the page says so" sh -c "[ \"\$(curl -s -b '$jar' '$base/admin/lists/dev@example.org/bounces?reenabled=carol@relaxed.example' | grep -c 'Re-enabled carol@relaxed.example')\" = 1 ]"
check "re-enabling a non-member answers 404" [ "$(postf /admin/lists/dev@example.org/bounces/reenable /dev/null --data-urlencode address=nobody@relaxed.example)" = 404 ]
sql "UPDATE members SET status = 'disabled', disabled_by = 'admin' WHERE address = 'alice@author.example'"
check "a member an admin disabled is not re-enabled here (409)" [ "$(postf /admin/lists/dev@example.org/bounces/reenable /dev/null --data-urlencode address=alice@author.example)" = 409 ]
check "and stays disabled" [ "$(sql "SELECT status FROM members WHERE address = 'alice@author.example'")" = disabled ]
sql "UPDATE members SET disabled_by = 'member' WHERE address = 'alice@author.example'"
check "a member who turned delivery off is not re-enabled by the owner (409)" [ "$(postf /admin/lists/dev@example.org/bounces/reenable /dev/null --data-urlencode address=alice@author.example)" = 409 ]
check "and stays disabled too" [ "$(sql "SELECT status FROM members WHERE address = 'alice@author.example'")" = disabled ]
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$mjar" "$base/admin/lists/dev@example.org/bounces")
check "the bounces page is the owner's: a moderator gets 403" [ "$code" = 403 ]

# -- keys ----------------------------------------------------------------------------
check "GET /admin/keys answers 200" [ "$(get /admin/keys "$scratch/k0.html")" = 200 ]
check "it has example.org (a list domain) without keys" grep -q 'mail of example.org goes out unsigned' "$scratch/k0.html"
check "generate web1 (the first RSA key) answers 303" [ "$(postf /admin/keys/generate "$scratch/g.out" -d domain=example.org -d selector=web1 -d algorithm=rsa)" = 303 ]
check "generate web2 answers 303" [ "$(postf /admin/keys/generate "$scratch/g.out" -d domain=example.org -d selector=web2 -d algorithm=rsa)" = 303 ]
check "an ed25519 key with the default selector" [ "$(postf /admin/keys/generate "$scratch/g.out" -d domain=example.org -d selector= -d algorithm=ed25519)" = 303 ]
check "a bad algorithm is refused (400)" [ "$(postf /admin/keys/generate "$scratch/g.out" -d domain=example.org -d selector=x -d algorithm=dsa)" = 400 ]
check "a selector that walks out of keys_dir is refused (400)" [ "$(postf /admin/keys/generate "$scratch/g.out" -d domain=example.org -d selector=../x -d algorithm=rsa)" = 400 ]
check "and says why" grep -q 'invalid selector' "$scratch/g.out"
cli key ls example.org >"$scratch/ls1"
month=$(date -u +%Y%m)
check "sealist key ls: web1 signs (the first RSA key)" grep -q "^example.org web1 rsa 2048 $today .* signing$" "$scratch/ls1"
check "web2 does not sign yet" grep -q "^example.org web2 rsa 2048 $today $scratch/keys/example.org/web2.pem$" "$scratch/ls1"
check "the ed25519 key got s$month-ed" grep -q "^example.org s$month-ed ed25519 256 " "$scratch/ls1"
check "GET /admin/keys shows the keys" [ "$(get /admin/keys "$scratch/k1.html")" = 200 ]
check "the TXT record's name" grep -q '<code class="txt">web2._domainkey.example.org</code>' "$scratch/k1.html"
# the value the page shows for web2 must be what the CLI prints for it
value=$(grep -A2 'data-selector="web2"' "$scratch/k1.html" | grep -o '<code class="txt" id="txt-[0-9]*">[^<]*</code>' | sed 's/<[^>]*>//g')
cli_value=$(cli key dns example.org --selector web2 | awk -F'"' '{ for (i = 2; i <= NF; i += 2) printf "%s", $i }')
check "the record's value is the CLI's" [ -n "$value" -a "$value" = "$cli_value" ]
check "a copy button for script users (hidden without it)" grep -q '<button type="button" class="copy" data-copy="txt-[0-9]*" hidden>Copy</button>' "$scratch/k1.html"
check "keys.js is served" [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/static/keys.js")" = 200 ]

check "check web2 answers 200" [ "$(postf /admin/keys/check "$scratch/c1.html" -d domain=example.org -d selector=web2)" = 200 ]
check "not published yet" grep -q 'web2._domainkey.example.org: not published yet' "$scratch/c1.html"
check "use web2 before it is published is refused (409)" [ "$(postf /admin/keys/use "$scratch/u1.html" -d domain=example.org -d selector=web2)" = 409 ]
check "saying why" grep -q 'Not switching' "$scratch/u1.html"
check "and web1 still signs" sh -c "'$sealist' -c '$scratch/sealist.conf' key ls example.org | grep -q '^example.org web1 .* signing\$'"

# publish web1's key under web2's name: a record, but not this key
web1_value=$(cli key dns example.org --selector web1 | awk -F'"' '{ for (i = 2; i <= NF; i += 2) printf "%s", $i }')
cp "$scratch/zone.base" "$zone"
record web2._domainkey.example.org "$web1_value"
check "DNS now has another key under web2" dns_serve
check "check web2: published but the key differs" sh -c "[ \"\$(curl -s -b '$jar' -d csrf=$csrf -d domain=example.org -d selector=web2 '$base/admin/keys/check' | grep -c 'web2._domainkey.example.org: published but the key differs')\" = 1 ]"

cp "$scratch/zone.base" "$zone"
record web2._domainkey.example.org "$value"
check "DNS now publishes web2's record as the page showed it" dns_serve
check "check web2 answers 200" [ "$(postf /admin/keys/check "$scratch/c2.html" -d domain=example.org -d selector=web2)" = 200 ]
check "published and matches" grep -q 'web2._domainkey.example.org: published and matches' "$scratch/c2.html"
check "sealist key check agrees" cli key check example.org --selector web2
check "use web2 answers 303" [ "$(postf /admin/keys/use "$scratch/u2.out" -d domain=example.org -d selector=web2)" = 303 ]
cli key ls example.org >"$scratch/ls2"
check "sealist key ls: web2 signs now" grep -q '^example.org web2 .* signing$' "$scratch/ls2"
check "and web1 does not" grep -q "^example.org web1 rsa 2048 $today $scratch/keys/example.org/web1.pem$" "$scratch/ls2"
check "the page marks it" sh -c "curl -s -b '$jar' '$base/admin/keys' | grep -q '<td class=\"selector\">web2</td><td>rsa</td><td>2048</td><td>$today</td><td class=\"signing\">signing</td>'"

kill "$dns_pid"; wait_gone "$dns_pid" 5
check "with DNS down, check answers 200" [ "$(postf /admin/keys/check "$scratch/c3.html" -d domain=example.org -d selector=web2)" = 200 ]
check "and says: DNS failed, and why" grep -q 'web2._domainkey.example.org: DNS failed: [a-z]' "$scratch/c3.html"
check "use refuses then too (409)" [ "$(postf /admin/keys/use "$scratch/u3.html" -d domain=example.org -d selector=web2)" = 409 ]
check "the daemon is still up" kill -0 "$daemon"
tap_done
