#!/bin/sh
# daemon.sh -- sealistd end to end: --check-config, start, database
# creation, SIGHUP reload (good and bad), SIGTERM/SIGINT, bad database.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"

cat > "$scratch/good.conf" <<CONF
# a good configuration
database = $scratch/db/sealist.db
lmtp_listen = 127.0.0.1:18024
web_listen =
pid_file = $scratch/sealistd.pid
templates_dir = $top_srcdir/templates
log_level = info
CONF
mkdir "$scratch/db"

out=$("$sealistd" -c "$scratch/good.conf" --check-config 2>&1); rc=$?
check "check-config accepts a good file" [ $rc -eq 0 ]
check "check-config says configuration OK" [ "$out" = "$scratch/good.conf: configuration OK" ]

cat > "$scratch/bad.conf" <<CONF
database = relative.db
frobnicate = yes
lmtp_listen = 127.0.0.1:99999
log_level = info
log_level = debug
just a line
CONF
out=$("$sealistd" -c "$scratch/bad.conf" --check-config 2>&1); rc=$?
check "check-config rejects a bad file" [ $rc -eq 1 ]
check "bad path reported on line 1" sh -c "echo \"\$1\" | grep -q 'bad.conf:1: database = relative.db: expected an absolute path'" _ "$out"
check "unknown key reported on line 2" sh -c "echo \"\$1\" | grep -q 'bad.conf:2: unknown key: frobnicate'" _ "$out"
check "bad port reported on line 3" sh -c "echo \"\$1\" | grep -q 'bad.conf:3: lmtp_listen'" _ "$out"
check "repeated key reported on line 5" sh -c "echo \"\$1\" | grep -q 'bad.conf:5: log_level is already set on line 4'" _ "$out"
check "malformed line reported on line 6" sh -c "echo \"\$1\" | grep -q 'bad.conf:6: expected'" _ "$out"
check "exactly five errors" [ "$(echo "$out" | wc -l)" -eq 5 ]

# a page template with an unknown variable: found by --check-config when the
# web is on, not only when the daemon starts it
mkdir "$scratch/tpl"
cp "$top_srcdir"/templates/*.txt "$top_srcdir"/templates/*.html "$scratch/tpl/"
sed 's/{{list}}/{{lsit}}/' "$top_srcdir/templates/web-info.html" > "$scratch/tpl/web-info.html"
sed -e "s|^templates_dir = .*|templates_dir = $scratch/tpl|" -e 's|^web_listen =.*|web_listen = 127.0.0.1:18080|' \
	"$scratch/good.conf" > "$scratch/web.conf"
out=$("$sealistd" -c "$scratch/web.conf" --check-config 2>&1); rc=$?
check "check-config finds a bad page template" [ $rc -eq 1 ]
check "  and names it" sh -c "echo \"\$1\" | grep -q 'web-info.*lsit'" _ "$out"

out=$("$sealistd" -c "$scratch/missing.conf" --check-config 2>&1); rc=$?
check "missing config file is an error" [ $rc -eq 1 ]
check "missing config file error names the reason" sh -c "echo \"\$1\" | grep -q 'cannot open: No such file'" _ "$out"

check "--help exits 0 and shows usage" sh -c "\"\$1\" --help | grep -q '^usage: sealistd'" _ "$sealistd"
check_fails "unknown option fails" "$sealistd" --bogus 2>/dev/null

check_fails "a bad configuration stops the start" "$sealistd" -f -c "$scratch/bad.conf" 2>/dev/null

# Start in the foreground, as the README's demo does.
"$sealistd" -f -c "$scratch/good.conf" 2> "$scratch/log" &
pid=$!
at_exit "kill $pid 2>/dev/null"
check "daemon logs its start" wait_for "$scratch/log" "event=start"
# the endpoints are announced once every service has started: wait for them
check "daemon serves LMTP" wait_for "$scratch/log" 'service=lmtp listen=127.0.0.1:18024 served=yes'
check "database file created" [ -s "$scratch/db/sealist.db" ]
check "pid file holds the daemon's pid" [ "$(cat "$scratch/sealistd.pid" 2>/dev/null)" = "$pid" ]
if command -v sqlite3 >/dev/null; then
	check "migration 1 recorded" [ "$(sqlite3 "$scratch/db/sealist.db" 'SELECT count(*) FROM schema_migrations WHERE version = 1')" = 1 ]
	check "database is in WAL mode" [ "$(sqlite3 "$scratch/db/sealist.db" 'PRAGMA journal_mode')" = wal ]
else
	not_ok "sqlite3 CLI missing (scripts/deps.sh installs it)"
fi

# SIGHUP with a good change: debug lines appear afterwards.
sed 's/log_level = info/log_level = debug/' "$scratch/good.conf" > "$scratch/new.conf"
cp "$scratch/new.conf" "$scratch/good.conf"
kill -HUP $pid
check "SIGHUP reloads a good file" wait_for "$scratch/log" "event=reload status=ok"

# SIGHUP with a broken file: errors logged, daemon keeps running.
echo "oops = 1" >> "$scratch/good.conf"
kill -HUP $pid
check "SIGHUP with a bad file logs the failure" wait_for "$scratch/log" "event=reload status=failed"
check "the bad line is logged with its number" grep -q 'good.conf:8: unknown key: oops' "$scratch/log"
sleep 0.2
check "daemon still runs after a bad reload" kill -0 $pid

kill -TERM $pid
check "SIGTERM stops the daemon" wait_gone $pid
wait $pid; rc=$?
check "exit status 0 after SIGTERM" [ $rc -eq 0 ]
check "stop is logged" grep -q 'event=stop signal=TERM' "$scratch/log"
check "pid file removed" [ ! -e "$scratch/sealistd.pid" ]

# SIGINT stops it too; the database is reopened without re-applying migrations.
cp "$scratch/new.conf" "$scratch/good.conf"
"$sealistd" -f -c "$scratch/good.conf" 2> "$scratch/log2" &
pid=$!
at_exit "kill $pid 2>/dev/null"
wait_for "$scratch/log2" "event=start" >/dev/null
kill -INT $pid
check "SIGINT stops the daemon" wait_gone $pid
wait $pid; rc=$?
check "exit status 0 after SIGINT" [ $rc -eq 0 ]
if command -v sqlite3 >/dev/null; then
	check "migrations applied once across restarts" [ "$(sqlite3 "$scratch/db/sealist.db" 'SELECT count(*) FROM schema_migrations WHERE version = 1')" = 1 ]
fi

# A database in a directory that does not exist: clear error, exit 1.
sed "s|$scratch/db/|$scratch/nowhere/|" "$scratch/new.conf" > "$scratch/nodb.conf"
"$sealistd" -f -c "$scratch/nodb.conf" 2> "$scratch/log3"; rc=$?
check "unusable database exits 1" [ $rc -eq 1 ]
check "unusable database is named in the error" grep -q "event=start status=failed database=$scratch/nowhere/sealist.db" "$scratch/log3"

# Detached mode: the parent returns at once, the daemon runs, SIGTERM stops it.
sed "s|^log_level.*|log_level = info|" "$scratch/new.conf" > "$scratch/bg.conf"
"$sealistd" -c "$scratch/bg.conf" 2>/dev/null; rc=$?
check "detached start returns 0" [ $rc -eq 0 ]
check "detached daemon wrote its pid file" wait_for "$scratch/sealistd.pid" "[0-9]"
bgpid=$(cat "$scratch/sealistd.pid" 2>/dev/null)
if [ -n "$bgpid" ]; then
	at_exit "kill $bgpid 2>/dev/null"
	check "detached daemon is alive" kill -0 "$bgpid"
	kill -TERM "$bgpid"
	check "detached daemon stops on SIGTERM" wait_gone "$bgpid"
fi

tap_done
