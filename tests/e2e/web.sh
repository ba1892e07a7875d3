#!/bin/sh
# web.sh -- the web server through the real sealistd and curl: security
# headers on every response, static files and path tricks, RFC 8058
# one-click unsubscribe (a GET never acts; a bad token, another list or
# another address changes nothing), confirmation pages, the list info
# page (escaping, the subscribe form's double opt-in), 404, 413 and 405.
# The one-click tokens are computed here, independently of src/token.c,
# from a list key the test sets.  A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3

need_tools curl sqlite3 $py

db=$scratch/sealist.db
cp -r "$top_srcdir/templates" "$scratch/templates"
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 -cmd ".timeout 10000" "$db" "$1"; }

# the configuration (web_serve puts a free port into web_listen)
cat >"$scratch/sealist.conf" <<CONF
database = $db
lmtp_listen =
web_listen = 127.0.0.1:1
templates_dir = $scratch/templates
www_dir = $top_srcdir/www
pipeline_workers = 1
smtp_relay = smtp://127.0.0.1:9
log_level = info
request_replies_per_hour = 20
CONF
cp "$scratch/sealist.conf" "$scratch/web.conf"

# the database and lists first (the CLI creates it)
sed -i 's/^web_listen = .*/web_listen =/' "$scratch/sealist.conf"
check "the list" cli list create dev@example.org --owner boss@example.org
check "another list" cli list create other@example.org --owner boss@example.org
check "members" cli member add dev@example.org alice@example.net Bob+x@Example.NET
check "alice on the other list too" cli member add other@example.org alice@example.net
key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
check "the lists' one-click keys" sql "UPDATE lists SET token_key = X'$key'"
check "a description with markup" sql "INSERT INTO list_settings (list_id, name, value) SELECT id, 'description', 'Dev <script>alert(1)</script> & \"friends\"' FROM lists WHERE local_part = 'dev'"

check "the daemon serves the web" web_serve "$scratch/web.conf" "$scratch/daemon.log"

# token LIST MEMBER -- RFC 8058 token as src/token.h describes it
token() {
	$py - "$key" "$1" "$2" <<'EOF'
import base64, hashlib, hmac, sys
key, lst, member = bytes.fromhex(sys.argv[1]), sys.argv[2], sys.argv[3]
at = member.rfind("@")
member = member[:at] + member[at:].lower() if at >= 0 else member
canon = b"v1\0" + lst.lower().encode() + b"\0" + member.encode()
mac = hmac.new(key, canon, hashlib.sha256).digest()[:16]
print("1." + base64.urlsafe_b64encode(mac).decode().rstrip("="))
EOF
}
# headers NAME -- the four security headers are all there
headers() {
	h=$scratch/$1.head
	grep -qi "^Content-Security-Policy: default-src 'self'" "$h" \
	&& grep -qi '^X-Frame-Options: DENY' "$h" \
	&& grep -qi '^Referrer-Policy: no-referrer' "$h" \
	&& grep -qi '^X-Content-Type-Options: nosniff' "$h"
}
member() { [ "$(sql "SELECT count(*) FROM members m JOIN lists l ON l.id = m.list_id WHERE l.local_part = '$1' AND m.address_key = lower('$2')")" = "$3" ]; }
notices() { sql "SELECT count(*) FROM outbound WHERE kind = 'notice' AND recipients = '$1' AND instr(CAST(message AS TEXT), '$2') > 0"; }

# 1. static files
check "sealist.css is served" [ "$(fetch css "$base/static/sealist.css")" = 200 ]
check "  as text/css" grep -qi '^Content-Type: text/css' "$scratch/css.head"
check "  cacheable for an hour" grep -qi '^Cache-Control: public, max-age=3600' "$scratch/css.head"
check "  with the security headers" headers css
check "  the file itself" cmp -s "$scratch/css.body" "$top_srcdir/www/sealist.css"
n=0
for path in "/static/../README" "/static/..%2fREADME" "/static/%2e%2e%2fREADME" \
	"/static/.%2e/README" "/static/%2fetc%2fpasswd" "/static/.hidden" "/static/" \
	"/static/README%00.css" "/static/sub/sealist.css" "/static/..%5cREADME"; do
	n=$((n + 1))
	check "traversal $path is 404" [ "$(fetch trav$n --path-as-is "$base$path")" = 404 ]
done
check "  with the security headers" headers trav1

# 2. one-click unsubscribe (RFC 8058)
tok=$(token dev@example.org alice@example.net)
url="$base/lists/dev@example.org/unsubscribe/$tok?a=alice%40example.net"
check "GET shows a page" [ "$(fetch oc_get "$url")" = 200 ]
check "  with the security headers" headers oc_get
check "  with one button posting List-Unsubscribe=One-Click" grep -q 'name="List-Unsubscribe" value="One-Click"' "$scratch/oc_get.body"
check "  and changes nothing" member dev alice@example.net 1
check "HEAD changes nothing" [ "$(curl -s -o /dev/null -I -w '%{http_code}' "$url")" = 200 ]
check "  still a member" member dev alice@example.net 1
bad=$(echo "$tok" | sed 's/.$/A/'); [ "$bad" = "$tok" ] && bad=$(echo "$tok" | sed 's/.$/B/')
check "a tampered token is 400" [ "$(fetch oc_bad -d List-Unsubscribe=One-Click "$base/lists/dev@example.org/unsubscribe/$bad?a=alice%40example.net")" = 400 ]
check "  with the security headers" headers oc_bad
check "the token on another list is 400" [ "$(fetch oc_other -d List-Unsubscribe=One-Click "$base/lists/other@example.org/unsubscribe/$tok?a=alice%40example.net")" = 400 ]
check "the token with another address is 400" [ "$(fetch oc_addr -d List-Unsubscribe=One-Click "$base/lists/dev@example.org/unsubscribe/$tok?a=bob%2Bx%40example.net")" = 400 ]
check "without the address it is 400" [ "$(fetch oc_noa -d List-Unsubscribe=One-Click "$base/lists/dev@example.org/unsubscribe/$tok")" = 400 ]
check "a POST without List-Unsubscribe=One-Click is 400" [ "$(fetch oc_nobody -d x=y "$url")" = 400 ]
check "  alice is still on dev" member dev alice@example.net 1
check "  and on other" member other alice@example.net 1
check "POST One-Click is 200" [ "$(fetch oc_post -d List-Unsubscribe=One-Click "$url")" = 200 ]
check "  with the security headers" headers oc_post
check "  alice has left dev" member dev alice@example.net 0
check "  but not other" member other alice@example.net 1
check "  the goodbye is queued" [ "$(notices alice@example.net 'Subject: You have left dev@example.org')" = 1 ]
check "the same POST again is 200" [ "$(fetch oc_again -d List-Unsubscribe=One-Click "$url")" = 200 ]
check "  and sends no second goodbye" [ "$(notices alice@example.net 'Subject: You have left')" = 1 ]
# multipart/form-data (RFC 8058 section 3.2), a local part with case and '+'
tok=$(token dev@example.org Bob+x@example.net)
check "POST One-Click as multipart/form-data is 200" [ "$(fetch oc_multi -F List-Unsubscribe=One-Click "$base/lists/dev@example.org/unsubscribe/$tok?a=Bob%2Bx%40example.net")" = 200 ]
check "  Bob+x has left" member dev Bob+x@example.net 0

# 3. the list info page and its subscribe form
check "the info page is 200" [ "$(fetch info "$base/lists/dev@example.org/")" = 200 ]
check "  with the security headers" headers info
check "  as HTML" grep -qi '^Content-Type: text/html' "$scratch/info.head"
check "  the description escaped" grep -qF 'Dev &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;' "$scratch/info.body"
check_fails "  no raw <script>" grep -q '<script>' "$scratch/info.body"
check "  a subscribe form" grep -q 'name="email"' "$scratch/info.body"
check "  with a digest box" grep -q 'name="digest"' "$scratch/info.body"
check "an unknown list is 404" [ "$(fetch nolist "$base/lists/nope@example.org/")" = 404 ]
check "  with the security headers" headers nolist
check "an unknown page of a list is 404" [ "$(fetch nopage "$base/lists/dev@example.org/nothing")" = 404 ]
check "the root is 404" [ "$(fetch root "$base/")" = 404 ]
check "subscribing is 200" [ "$(fetch sub -d email=carol@example.net "$base/lists/dev@example.org/")" = 200 ]
check "  with the security headers" headers sub
check "  a pending request" [ "$(sql "SELECT count(*) FROM pending_requests WHERE address = 'carol@example.net' AND kind = 'subscribe' AND state = 'awaiting_confirmation'")" = 1 ]
check "  the confirmation is queued to carol" [ "$(notices carol@example.net 'Subject: confirm ')" = 1 ]
check "  not a member yet" member dev carol@example.net 0
check "subscribing a bad address is 400" [ "$(fetch subbad -d email=not-an-address "$base/lists/dev@example.org/")" = 400 ]
check "  nothing pending for it" [ "$(sql "SELECT count(*) FROM pending_requests WHERE address = 'not-an-address'")" = 0 ]

# 4. confirmation
ctok=$(sql "SELECT token FROM pending_requests WHERE address = 'carol@example.net'")
curl_confirm="$base/lists/dev@example.org/confirm/$ctok"
check "confirm GET is 200" [ "$(fetch cget "$curl_confirm")" = 200 ]
check "  with the security headers" headers cget
check "  says what will happen" grep -q 'subscribe' "$scratch/cget.body"
check "  names the address" grep -q 'carol@example.net' "$scratch/cget.body"
check "  has a button" grep -q '<button' "$scratch/cget.body"
check "  and changes nothing" member dev carol@example.net 0
check "  the request still waits" [ "$(sql "SELECT state FROM pending_requests WHERE token = '$ctok'")" = awaiting_confirmation ]
check "the token on another list is 404" [ "$(fetch cother -X POST "$base/lists/other@example.org/confirm/$ctok")" = 404 ]
check "  nothing changed" member other carol@example.net 0
check "an unknown token is 404" [ "$(fetch cunk -X POST "$base/lists/dev@example.org/confirm/0123456789abcdef")" = 404 ]
check "confirm POST is 200" [ "$(fetch cpost -X POST "$curl_confirm")" = 200 ]
check "  with the security headers" headers cpost
check "  carol is a member" member dev carol@example.net 1
check "  the request is done" [ "$(sql "SELECT state FROM pending_requests WHERE token = '$ctok'")" = done ]
check "  the welcome is queued" [ "$(notices carol@example.net 'Subject: Welcome to dev@example.org')" = 1 ]
check "confirming again is 400" [ "$(fetch cagain -X POST "$curl_confirm")" = 400 ]

# 5. limits and methods
head -c 102400 /dev/zero | tr '\0' a >"$scratch/big"
check "a 100 KB POST is 413" [ "$(fetch big -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$scratch/big" "$base/lists/dev@example.org/")" = 413 ]
check "  with the security headers" headers big
check "  a chunked 100 KB POST is 413 too" [ "$(fetch bigc -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$scratch/big" "$base/lists/dev@example.org/")" = 413 ]
check "PUT is 405" [ "$(fetch put -X PUT -d x=y "$base/lists/dev@example.org/")" = 405 ]
check "  with the security headers" headers put
check "  and Allow" grep -qi '^Allow: GET, HEAD, POST' "$scratch/put.head"
check "DELETE is 405" [ "$(fetch del -X DELETE "$base/static/sealist.css")" = 405 ]
check "the daemon logged the actions" grep -q 'event=web action=oneclick list=dev@example.org' "$scratch/daemon.log"

# 6. one client asks for at most 20 subscriptions an hour (2 were asked above)
n=0; i=0
while [ $i -lt 18 ]; do
	i=$((i + 1))
	[ "$(fetch many -d "email=many$i@example.net" "$base/lists/dev@example.org/")" = 200 ] && n=$((n + 1))
done
check "18 more subscriptions from one client are served" [ $n = 18 ]
check "the 21st is 429" [ "$(fetch many -d email=one-more@example.net "$base/lists/dev@example.org/")" = 429 ]
check "  with Retry-After" grep -qi '^Retry-After: [0-9]' "$scratch/many.head"
check "  and asks nobody" [ "$(sql "SELECT count(*) FROM pending_requests WHERE address = 'one-more@example.net'")" = 0 ]
check "  while the 18 were asked" [ "$(sql "SELECT count(*) FROM pending_requests WHERE address LIKE 'many%@example.net'")" = 18 ]

kill "$daemon"
check "the daemon stops" wait_gone "$daemon" 10
check "  cleanly" grep -q 'event=stop' "$scratch/daemon.log"
tap_done
