#!/bin/sh
# web_security.sh -- the web server's guards through the real sealistd and
# curl.  Every route `sealistd --web-routes` prints (so a new route cannot
# be forgotten) is tried without a session (GET: 303 to /login, POST: 403),
# as the owner of another list and as a moderator (403 where the role is
# above theirs), and every POST above public without or with a wrong CSRF
# token (403, nothing changed: members, a setting and the held post are
# checked with the CLI and sqlite3 afterwards).  Then: a held post whose
# Subject and body carry markup is shown inert; static path tricks are 404;
# 10 MB bodies are 413; HTTPS with web_tls_cert/key (a self-signed
# certificate made here) and Secure cookies; X-Forwarded-Proto believed
# only from web_trusted_proxies.  A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"

need_tools curl sqlite3 openssl

db=$scratch/sealist.db
A=a@example.org
B=b@example.org
cp -r "$top_srcdir/templates" "$scratch/templates"
cli() { "$sealist" -c "$scratch/cli.conf" "$@"; }
sql() { sqlite3 -cmd ".timeout 10000" "$db" "$1"; }

# conf NAME PORT [EXTRA-LINE...] -- $scratch/NAME.conf for a daemon on PORT
conf() {
	name=$1 p=$2; shift 2
	{ cat <<CONF
database = $db
lmtp_listen =
web_listen = 127.0.0.1:$p
templates_dir = $scratch/templates
www_dir = $top_srcdir/www
pipeline_workers = 1
smtp_relay =
keys_dir = $scratch/keys
log_level = info
CONF
	  for line in "$@"; do echo "$line"; done; } >"$scratch/$name.conf"
}
# start NAME [EXTRA-LINE...] -- a daemon on a free port; sets $port, $pid_NAME
start() {
	name=$1; shift
	conf "$name" 1 "$@"
	web_serve "$scratch/$name.conf" "$scratch/$name.log" || return 1
	eval "pid_$name=$daemon"
}
location() { sed -n 's/^[Ll]ocation: *//p' "$scratch/$1.head" | tr -d '\r'; }

# 1. the lists, the accounts, a held post with markup
conf cli 9
sed -i 's/^web_listen = .*/web_listen =/' "$scratch/cli.conf"
check "list A" cli list create $A --owner boss@example.org
check "list B" cli list create $B --owner boss@example.org
check "members of A" cli member add $A alice@example.net bob@example.net
echo 'correct horse battery staple' >"$scratch/pw"
check "a site admin" cli admin add root --password-file "$scratch/pw"
check "an owner of A" cli admin add owna --list $A --role owner --password-file "$scratch/pw"
check "a moderator of A" cli admin add moda --list $A --role moderator --password-file "$scratch/pw"
check "an owner of B" cli admin add ownb --list $B --role owner --password-file "$scratch/pw"
xss_subject='<script>alert(1)</script> "><img src=x onerror=alert(1)>'
printf 'From: Mallory <mallory@example.net>\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <xss@test>\r\n\r\nbody <script>alert(1)</script>\r\n"><img src=x onerror=alert(1)>\r\n' \
	"$A" "$xss_subject" >"$scratch/xss.eml"
check "a held post with markup in Subject and body" sql "
	INSERT INTO inbox (received_at, envelope_from, message, size, state, updated_at)
	  VALUES (strftime('%s'), 'mallory@example.net', readfile('$scratch/xss.eml'),
		  length(readfile('$scratch/xss.eml')), 'held', strftime('%s'));
	INSERT INTO inbox_rcpt (inbox_id, address, list_id, role)
	  SELECT last_insert_rowid(), '$A', id, 'post' FROM lists WHERE local_part = 'a';
	INSERT INTO held (inbox_id, list_id, rcpt_address, reason, token, sender, subject,
			  notify_poster, held_at)
	  SELECT i.id, l.id, '$A', 'non-member <b>post</b>', 'tok-xss', 'mallory@example.net',
		 '$(echo "$xss_subject" | sed "s/'/''/g")', 0, strftime('%s')
	  FROM inbox i, lists l WHERE i.envelope_from = 'mallory@example.net' AND l.local_part = 'a'"
held_id=$(sql "SELECT id FROM held WHERE token = 'tok-xss'")
[ -n "$held_id" ] || held_id=1

check "the daemon serves the web" start main "web_trusted_proxies = 192.0.2.1 2001:db8::/32"
base=http://127.0.0.1:$port

# state -- what a forged POST must not change
state() {
	echo "member ls: $(cli member ls $A 2>&1 | sort | tr '\n' ' ')"
	echo "members: $(sql "SELECT * FROM members ORDER BY id" 2>/dev/null | tr '\n' ' ')"
	echo "description: $(sql "SELECT value FROM list_settings s JOIN lists l ON l.id = s.list_id WHERE l.local_part = 'a' AND s.name = 'description'")"
	echo "held: $(sql "SELECT count(*) FROM held")"
	echo "deliveries: $(sql "SELECT * FROM deliveries ORDER BY 1" 2>/dev/null)"
	echo "keys: $(sql "SELECT count(*) FROM dkim_keys" 2>/dev/null)"
}
state >"$scratch/state.before"

routes=$("$sealistd" --web-routes)
check "--web-routes lists routes" [ -n "$routes" ]
check "  with /login" sh -c "echo '$routes' | grep -q '^GET /login public$'"
check "  with an admin route" sh -c "echo '$routes' | grep -q ' /admin/'"

# sessions (web_login comes from tests/lib.sh, with the accounts code)
login() {
	if ! command -v web_login >/dev/null 2>&1; then
		echo "web_login is not in tests/lib.sh" >&2
		return 1
	fi
	web_login "$base" "$1" 'correct horse battery staple' "$scratch/$1.jar"
}
csrf_root=$(login root) ; check "root logs in" [ -n "$csrf_root" ]
csrf_ownb=$(login ownb) ; check "the owner of B logs in" [ -n "$csrf_ownb" ]
csrf_moda=$(login moda) ; check "the moderator of A logs in" [ -n "$csrf_moda" ]
csrf_owna=$(login owna) ; check "the owner of A logs in" [ -n "$csrf_owna" ]

# rank ROLE -- the roles' order
rank() {
	case $1 in public) echo 0 ;; logged_in) echo 1 ;; list_moderator) echo 2 ;;
	list_owner) echo 3 ;; site_admin) echo 4 ;; *) echo 9 ;; esac
}
# every field any form takes, harmless values, so that only the guard stops it
fields="address=alice%40example.net&name=Evil&delivery=nomail&moderated=1&action=discard&id=$held_id&reason=x&description=HACKED&domain=example.org&selector=evil&algorithm=ed25519&mode=sync"

n=0
echo "$routes" >"$scratch/routes"
while read -r method pattern role; do
	[ -n "$method" ] || continue
	path=$(echo "$pattern" | sed "s|{list}|$A|g; s|{id}|$held_id|g")
	n=$((n + 1))
	r=$(rank "$role")
	if [ "$r" = 9 ]; then not_ok "$method $pattern: known role ($role)"; continue; fi
	[ "$r" -gt 0 ] || continue
	url="$base$path"
	if [ "$method" = GET ]; then
		s=$(fetch g$n "$url")
		check "$method $pattern without a session: 303" [ "$s" = 303 ]
		case $(location g$n) in */login\?next=*) ok "  Location is /login?next=..." ;;
			*) not_ok "  Location is /login?next=... ($(location g$n))" ;; esac
		s=$(fetch gr$n -b "$scratch/root.jar" "$url")
		check "  the site admin is let in ($s)" [ "$s" != 303 ] && [ "$s" != 403 ]
	else
		s=$(fetch p$n -d "$fields" "$url")
		check "$method $pattern without a session: 403" [ "$s" = 403 ]
		s=$(fetch pn$n -b "$scratch/root.jar" -d "$fields" "$url")
		check "  the site admin without csrf: 403" [ "$s" = 403 ]
		s=$(fetch pw$n -b "$scratch/root.jar" -d "$fields&csrf=0000$csrf_root" "$url")
		check "  with a wrong csrf: 403" [ "$s" = 403 ]
		s=$(fetch pe$n -b "$scratch/root.jar" -d "$fields&csrf=" "$url")
		check "  with an empty csrf: 403" [ "$s" = 403 ]
		check "  says the form expired" grep -q 'form has expired' "$scratch/pe$n.body"
	fi
	# another list's owner, a moderator: refused above their role
	if [ "$r" -ge 2 ] && { echo "$pattern" | grep -q '{list}' || [ "$r" = 4 ]; }; then
		if [ "$method" = GET ]; then
			s=$(fetch b$n -b "$scratch/ownb.jar" "$url")
		else
			s=$(fetch b$n -b "$scratch/ownb.jar" -d "$fields&csrf=$csrf_ownb" "$url")
		fi
		check "  the owner of B: 403" [ "$s" = 403 ]
	fi
	if [ "$r" -ge 3 ]; then
		if [ "$method" = GET ]; then
			s=$(fetch m$n -b "$scratch/moda.jar" "$url")
		else
			s=$(fetch m$n -b "$scratch/moda.jar" -d "$fields&csrf=$csrf_moda" "$url")
		fi
		check "  the moderator of A: 403" [ "$s" = 403 ]
	fi
	if [ "$r" = 4 ]; then
		if [ "$method" = GET ]; then
			s=$(fetch o$n -b "$scratch/owna.jar" "$url")
		else
			s=$(fetch o$n -b "$scratch/owna.jar" -d "$fields&csrf=$csrf_owna" "$url")
		fi
		check "  the owner of A: 403" [ "$s" = 403 ]
	fi
done <"$scratch/routes"
state >"$scratch/state.after"
check "the refused POSTs changed nothing" cmp -s "$scratch/state.before" "$scratch/state.after"
[ -f "$scratch/state.after" ] && diff "$scratch/state.before" "$scratch/state.after" | sed 's/^/# /'
# the token is the only difference: with it the same POST goes through
s=$(fetch logout -b "$scratch/moda.jar" -d "csrf=$csrf_moda" "$base/logout")
check "POST /logout with the right csrf works: 303" [ "$s" = 303 ]

# 2. the held post is shown as text
s=$(fetch held -b "$scratch/root.jar" "$base/admin/lists/$A/held")
if [ "$s" = 404 ]; then
	diag "SKIP SKIP SKIP: GET /admin/lists/$A/held is 404: the held pages (helper C1) are not in this tree"
	ok "# SKIP the held pages are missing"
else
	check "the held list is 200" [ "$s" = 200 ]
	check "  shows the subject escaped" grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$scratch/held.body"
	check_fails "  no raw <script>alert" grep -q '<script>alert' "$scratch/held.body"
	check_fails "  no raw <img src=x" grep -q '<img src=x' "$scratch/held.body"
	s=$(fetch held1 -b "$scratch/root.jar" "$base/admin/lists/$A/held/$held_id")
	check "the held post is 200" [ "$s" = 200 ]
	check "  shows the body escaped" grep -qF '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' "$scratch/held1.body"
	check_fails "  no raw <script>alert" grep -q '<script>alert' "$scratch/held1.body"
	check_fails "  no raw <img src=x" grep -q '<img src=x' "$scratch/held1.body"
fi

# 3. static path tricks
n=0
for path in "/static/../sealist.conf" "/static/%2e%2e/x" "/static/sealist.css%00.txt" \
	"/static/.hidden" "/static/%2e%2e%2fsealist.conf" "/static/..%2f..%2fetc%2fpasswd"; do
	n=$((n + 1))
	check "$path is 404" [ "$(fetch st$n --path-as-is "$base$path")" = 404 ]
done
check "while /static/sealist.css is 200" [ "$(fetch st0 "$base/static/sealist.css")" = 200 ]

# 4. 10 MB bodies
head -c 10485760 /dev/zero | tr '\0' a >"$scratch/big"
check "a 10 MB POST to /login is 413" [ "$(fetch big1 -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$scratch/big" "$base/login")" = 413 ]
check "a 10 MB POST to an admin route is 413" [ "$(fetch big2 -b "$scratch/root.jar" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$scratch/big" "$base/admin/lists/$A/members/add")" = 413 ]
check "a chunked 10 MB POST to /login is 413" [ "$(fetch big3 -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$scratch/big" "$base/login")" = 413 ]
rm -f "$scratch/big"

# 5. proxies: X-Forwarded-Proto only from web_trusted_proxies
secure_cookie() { grep -i '^Set-Cookie:' "$scratch/$1.head" | grep -qi '; *Secure'; }
hsts() { grep -qi '^Strict-Transport-Security:' "$scratch/$1.head"; }
check "plain HTTP: /login is 200" [ "$(fetch plain "$base/login")" = 200 ]
check "  sets a cookie" grep -qi '^Set-Cookie:' "$scratch/plain.head"
check_fails "  not Secure" secure_cookie plain
check_fails "  no HSTS" hsts plain
check "X-Forwarded-Proto from an untrusted peer: 200" [ "$(fetch xfp_no -H 'X-Forwarded-Proto: https' "$base/login")" = 200 ]
check_fails "  the cookie is not Secure" secure_cookie xfp_no
check_fails "  no HSTS" hsts xfp_no
check "a daemon trusting 127.0.0.1 as a proxy" start proxy "web_trusted_proxies = 10.0.0.0/8 127.0.0.1"
pbase=http://127.0.0.1:$port
check "X-Forwarded-Proto https from the trusted proxy: 200" [ "$(fetch xfp_yes -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 203.0.113.9' "$pbase/login")" = 200 ]
check "  the cookie is Secure" secure_cookie xfp_yes
check "  HSTS" hsts xfp_yes
# the client address: the rightmost X-Forwarded-For entry that is not a trusted proxy
fetch xff1 -H 'X-Forwarded-For: 198.51.100.1, 203.0.113.9, 10.1.2.3' -X POST "$pbase/logout" >/dev/null
check "X-Forwarded-For from the trusted proxy: the client is the rightmost untrusted" \
	wait_for "$scratch/proxy.log" 'reason=no-session' 5
check "  203.0.113.9 (not the forgeable 198.51.100.1, not the proxy 10.1.2.3)" \
	grep -q 'url=/logout user=- client=203.0.113.9 reason=no-session' "$scratch/proxy.log"
fetch xff2 -H 'X-Forwarded-For: 203.0.113.77' -X POST "$base/logout" >/dev/null
check "X-Forwarded-For from an untrusted peer is ignored: the client is the peer" \
	wait_for "$scratch/main.log" 'url=/logout user=- client=127.0.0.1 reason=no-session' 5
check_fails "  203.0.113.77 is not believed" grep -q 'client=203.0.113.77' "$scratch/main.log"
check "X-Forwarded-Proto http from the trusted proxy: 200" [ "$(fetch xfp_http -H 'X-Forwarded-Proto: http' "$pbase/login")" = 200 ]
check_fails "  the cookie is not Secure" secure_cookie xfp_http

# 6. HTTPS on web_listen itself
check "a self-signed certificate" openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
	-subj /CN=127.0.0.1 -keyout "$scratch/key.pem" -out "$scratch/cert.pem" 2>/dev/null
chmod 600 "$scratch/key.pem"
check "a daemon with web_tls_cert and web_tls_key" start tls \
	"web_tls_cert = $scratch/cert.pem" "web_tls_key = $scratch/key.pem"
tbase=https://127.0.0.1:$port
check "HTTPS: the list page is 200" [ "$(fetch tls_info -k "$tbase/lists/$A/")" = 200 ]
check "  HSTS" hsts tls_info
check "HTTPS: /login is 200" [ "$(fetch tls_login -k "$tbase/login")" = 200 ]
check "  the cookie is Secure" secure_cookie tls_login
check_fails "plain HTTP to the HTTPS port gets no page" sh -c "curl -s -m 5 http://127.0.0.1:$port/lists/$A/ | grep -q '<html'"
conf badtls 9 "web_tls_cert = $scratch/cert.pem"
check_fails "web_tls_cert without web_tls_key is refused" "$sealistd" --check-config -c "$scratch/badtls.conf"
conf nokey "$(random_port)" "web_tls_cert = $scratch/cert.pem" "web_tls_key = $scratch/missing.pem"
check_fails "a missing key file stops the start" timeout 10 "$sealistd" -f -c "$scratch/nokey.conf" 2>"$scratch/nokey.log"
check "  saying which file" grep -q 'web_tls_key .*missing.pem: No such file' "$scratch/nokey.log"
conf notpem "$(random_port)" "web_tls_cert = $scratch/xss.eml" "web_tls_key = $scratch/key.pem"
check_fails "a certificate that is not PEM stops the start" timeout 10 "$sealistd" -f -c "$scratch/notpem.conf" 2>"$scratch/notpem.log"
check "  saying so" grep -q 'web_tls_cert .*not a PEM file' "$scratch/notpem.log"

kill "$pid_main" "$pid_proxy" "$pid_tls" 2>/dev/null
check "the daemons stop" wait_gone "$pid_main" 10
tap_done
