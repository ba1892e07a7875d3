#!/bin/sh
# demo.sh -- install what is needed, build, create a demo database with
# the list demo@example.org, and run sealistd in the foreground on
# loopback.  Everything lives in ./demo; Ctrl-C stops the daemon.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

sh scripts/deps.sh build
sh scripts/build.sh build

demo="$top/demo"
conf="$demo/sealist.conf"
mkdir -p "$demo/keys" "$demo/sink"
# An older demo configuration lacks templates_dir or www_dir; start from scratch.
grep -q '^www_dir' "$conf" 2>/dev/null || rm -f "$conf"
if [ ! -f "$conf" ]; then
	cat > "$conf" <<CONF
# sealist demo configuration (see doc/sealist.conf.5)
database    = $demo/sealist.db
lmtp_listen = 127.0.0.1:8024
web_listen  = 127.0.0.1:8080
smtp_relay  = smtp://127.0.0.1:2525
keys_dir    = $demo/keys
templates_dir = $top/templates
www_dir     = $top/www
authserv_id = demo.sealist.test
log_level   = info
CONF
fi

sealist="build/src/sealist -c $conf"
if ! $sealist list ls | grep -q '^demo@example.org'; then
	$sealist list create demo@example.org --owner owner@example.org
	$sealist member add demo@example.org alice@example.net bob@example.com
fi
# the list domain's signing key: every copy sealist sends is DKIM-signed
$sealist key ls example.org | grep -q . || $sealist key generate example.org >/dev/null
# a site admin for the web pages, with a random password kept in the demo
# directory (readable by its owner only)
if [ ! -s "$demo/admin.password" ]; then
	(umask 077; od -An -N12 -tx1 /dev/urandom | tr -d ' \n' >"$demo/admin.password")
	$sealist admin add admin --password-file "$demo/admin.password" >/dev/null
fi

cat <<TEXT

sealist demo
  configuration  $conf
  database       $demo/sealist.db (SQLite, WAL)
  demo list      demo@example.org
$($sealist member ls demo@example.org | sed 's/^/    member       /')
  LMTP endpoint  127.0.0.1:8024 (served: point your MTA's transport for
                 example.org at lmtp:inet:127.0.0.1:8024)
  web endpoint   http://127.0.0.1:8080/lists/demo@example.org/ (the public
                 list page; one-click unsubscribe and confirmation links
                 point here)
  web admin      http://127.0.0.1:8080/admin/ (user admin, password
                 $(cat "$demo/admin.password"), kept in demo/admin.password)
  SMTP relay     smtp://127.0.0.1:2525 (delivery: each member's copy is
                 signed by example.org and sent there; start a sink to see it:
                 /usr/bin/python3 tests/tools/smtp_sink.py --dir demo/sink --port 2525)

Post to the demo list over LMTP (what arrives is authenticated, judged,
rewritten, signed per member and sent to the relay):
  /usr/bin/python3 tests/tools/lmtp_send.py 127.0.0.1:8024 alice@example.net \\
        post.eml demo@example.org
  build/src/sealist -c $conf queue ls
Decide what is held, manage the list:
  build/src/sealist -c $conf held ls
  build/src/sealist -c $conf list show demo@example.org
  build/src/sealist -c $conf member add demo@example.org carol@example.net
DMARC aggregate reports come in by mail (dmarc-reports@example.org over
LMTP) or from files; try the test suite's scripted week about
lists.example.org, then open
http://127.0.0.1:8080/admin/dmarc?domain=lists.example.org&end=2026-11-07
  build/src/sealist -c $conf dmarc-report import \\
        tests/data/dmarc-reports/week/*!*
  build/src/sealist -c $conf dmarc-report summary --days 3650

Starting sealistd in the foreground (Ctrl-C stops it) ...
TEXT
exec build/src/sealistd -c "$conf" -f
