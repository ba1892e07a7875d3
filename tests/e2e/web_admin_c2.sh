#!/bin/sh
# web_admin_c2.sh -- the admin members page through the real sealistd and
# curl, logged in as the list's owner: add (and the CLI's error words on
# a duplicate), remove several, change delivery and moderation, search by
# address and by name, pages of 50 and their links, the CSV download
# (byte for byte the CLI's export), the all-or-nothing upload (one bad row:
# 400, its line number, nothing added; the same words as the CLI), and the
# members page of a 100,000-member list timed at its first, middle and last
# page, a 100,000-row upload (and a 17 MB one refused), and the routes'
# roles (a moderator, no session, no CSRF token: refused, nothing changed).
# Every change is checked with `sealist member ls`.  A missing tool
# is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
# The slowest a members page of the 100,000-member list may answer, in seconds.
max_page=${WEB_MEMBERS_MAX_SECONDS:-1}

for tool in curl sqlite3; do
	if ! command -v "$tool" >/dev/null; then
		not_ok "$tool is installed"
		tap_done
		exit 1
	fi
done

db=$scratch/sealist.db
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
cat >"$scratch/sealist.conf" <<CONF
database = $db
lmtp_listen =
web_listen = 127.0.0.1:1
templates_dir = $top_srcdir/templates
www_dir = $top_srcdir/www
pipeline_workers = 1
smtp_relay = smtp://127.0.0.1:9
log_level = info
CONF
quiet() { "$@" >/dev/null; }
check "the list" quiet cli list create dev@example.org
check "a list of 100,000" quiet cli list create big@example.org
check "a list to upload into" quiet cli list create up@example.org
check "some members" quiet cli member add dev@example.org keep@example.org gone1@example.org gone2@example.org
printf 'correct horse battery\n' >"$scratch/pw"
check "the list's owner" quiet cli admin add owner --list dev@example.org --role owner --password-file "$scratch/pw"
check "and of the big list" quiet cli admin add owner --list big@example.org --role owner --password-file "$scratch/pw"
check "and of the upload list" quiet cli admin add owner --list up@example.org --role owner --password-file "$scratch/pw"
check "a moderator of the list" quiet cli admin add mod --list dev@example.org --role moderator --password-file "$scratch/pw"
awk 'BEGIN { print "address,name"; for (i = 1; i <= 100000; i++) printf "user%06d@example.org,User %d\n", i, i }' >"$scratch/big.csv"
check "100,000 members" sh -c "'$sealist' -c '$scratch/sealist.conf' member import big@example.org '$scratch/big.csv' >/dev/null 2>&1"

check "the daemon serves the web" web_serve "$scratch/sealist.conf" "$scratch/daemon.log"
jar=$scratch/jar
page=$base/admin/lists/dev@example.org/members
check "the owner logs in" quiet web_login "$base" owner "correct horse battery" "$jar"
csrf=$(web_csrf "$jar" "$page")
check "  and gets the session's CSRF token from the members page" [ -n "$csrf" ]

# get NAME URL -- GET with the session into $scratch/NAME.{body,head}; prints the status
get() {
	curl -s -b "$jar" -o "$scratch/$1.body" -D "$scratch/$1.head" -w '%{http_code}' "$2"
}
# post NAME PATH FIELD=VALUE... -- a form POST to $page/PATH; prints the status
post() {
	name=$1 path=$2; shift 2
	for field; do set -- "$@" --data-urlencode "$field"; shift; done
	curl -s -b "$jar" -o "$scratch/$name.body" -D "$scratch/$name.head" -w '%{http_code}' \
		--data-urlencode "csrf=$csrf" "$@" "$page/$path"
}
# location NAME -- the Location of a response, without the base
location() { sed -n 's/^Location: *//Ip' "$scratch/$1.head" | tr -d '\r' | sed "s|^$base||"; }
has() { grep -F -q -- "$2" "$scratch/$1.body"; }
ls_has() { cli member ls dev@example.org | grep -F -x -q -- "$1"; }
ls_lacks() { ! cli member ls dev@example.org | grep -F -q -- "$1"; }
rows() { grep -o '<td class="address">' "$scratch/$1.body" | wc -l | tr -d ' '; }

# 1. the page
check "the members page is 200" [ "$(get p1 "$page")" = 200 ]
check "  a table#members with one row per member" [ "$(rows p1)" = 3 ]
check "  the address in td.address" has p1 '<td class="address">keep@example.org</td>'
check "  the remove form around the table" grep -q '<form method="post" action="[^"]*/members/remove" id="member-remove">' "$scratch/p1.body"
check "  a change form per row" [ "$(grep -o 'class="member-update"' "$scratch/p1.body" | wc -l | tr -d ' ')" = 3 ]
check "  the add form" has p1 'id="member-add"'
check "  the upload form, multipart" grep -q 'enctype="multipart/form-data" id="member-upload"' "$scratch/p1.body"
check "  the download link" has p1 '/admin/lists/dev@example.org/members.csv"'
# labelled FILE -- every input and select with an id has a <label for=ID>
labelled() {
	for id in $(grep -o '<\(input\|select\)[^>]* id="[^"]*"' "$1" | sed 's/.* id="\([^"]*\)".*/\1/'); do
		grep -q "<label for=\"$id\"" "$1" || { diag "no label for $id"; return 1; }
	done
}
check "  every input has its label" labelled "$scratch/p1.body"

# 2. add
check "add is 303" [ "$(post add add address=new@Example.ORG 'name=New <b>One</b>')" = 303 ]
check "  back to the page, saying so" [ "$(location add)" = "/admin/lists/dev@example.org/members?done=added&n=1&page=1" ]
check "  member ls shows it" ls_has 'new@example.org regular enabled - "New <b>One</b>"'
get p2 "$page?done=added&n=1" >/dev/null
check "  the page says it" has p2 'Added 1 member.'
check "  and shows the name escaped" has p2 'New &lt;b&gt;One&lt;/b&gt;'
check "a duplicate add is 400" [ "$(post dup add address=NEW@example.org)" = 400 ]
check "  with the CLI's words" has dup 'NEW@example.org is already a member of dev@example.org as new@example.org'
cli member add dev@example.org NEW@example.org >/dev/null 2>"$scratch/cli.err"
check "  (the CLI's)" grep -F -q 'NEW@example.org is already a member of dev@example.org as new@example.org' "$scratch/cli.err"
check "  and the form keeps what was typed" has dup 'value="NEW@example.org"'
check "a display name in the address is 400" [ "$(post bare add 'address=Ann <ann@example.org>')" = 400 ]
check "  saying to give the bare address" has bare 'give the bare address (a@example.org)'
check "an invalid address is 400" [ "$(post inval add address=nobody)" = 400 ]
check "  with the store's words" has inval 'invalid address &quot;nobody&quot;: missing @'
check "  nothing was added" [ "$(cli member ls dev@example.org | wc -l | tr -d ' ')" = 4 ]

# 3. remove several, all or nothing
check "removing a member and a non-member is 400" [ "$(post rm1 remove address=gone1@example.org address=zz@example.org)" = 400 ]
check "  saying which" has rm1 'zz@example.org is not a member of dev@example.org'
check "  and removes neither" ls_has 'gone1@example.org regular enabled -'
check "removing two is 303" [ "$(post rm2 remove address=gone1@example.org address=GONE2@example.org)" = 303 ]
check "  saying two" [ "$(location rm2)" = "/admin/lists/dev@example.org/members?done=removed&n=2&page=1" ]
check "  both are gone" sh -c "! '$sealist' -c '$scratch/sealist.conf' member ls dev@example.org | grep -q gone"
check "  the others stay" ls_has 'keep@example.org regular enabled -'
check "removing none is 400" [ "$(post rm3 remove)" = 400 ]

# 4. change delivery and moderation
check "change is 303" [ "$(post up update address=keep@example.org delivery=digest moderated=1)" = 303 ]
check "  member ls shows digest and moderated" ls_has 'keep@example.org digest enabled moderated'
check "change back" [ "$(post up2 update address=keep@example.org delivery=nomail moderated=0)" = 303 ]
check "  member ls shows nomail, not moderated" ls_has 'keep@example.org nomail enabled -'
get p3 "$page" >/dev/null
check "  the page shows the mode selected" grep -q '<option value="nomail" selected>nomail</option>' "$scratch/p3.body"
check "an unknown mode is 400" [ "$(post up3 update address=keep@example.org delivery=weekly moderated=0)" = 400 ]
check "  with the store's words" has up3 'invalid delivery mode &quot;weekly&quot;'
check "a non-member is 400" [ "$(post up4 update address=zz@example.org delivery=digest moderated=0)" = 400 ]

# 5. search
check "search by part of the address" [ "$(get s1 "$page?q=KEEP@")" = 200 ]
check "  finds the one" [ "$(rows s1)" = 1 ]
check "  keep@example.org" has s1 '<td class="address">keep@example.org</td>'
get s2 "$page?q=one%3C%2Fb" >/dev/null
check "search by part of the name finds one" [ "$(rows s2)" = 1 ]
check "  new@example.org" has s2 '<td class="address">new@example.org</td>'
get s3 "$page?q=%25" >/dev/null
check "a % in the search matches only a %" [ "$(rows s3)" = 0 ]
get s4 "$page?q=nobody-at-all" >/dev/null
check "a search that matches nothing: no rows" [ "$(rows s4)" = 0 ]
check "  and says so" has s4 '0 members match the search.'

# 6. pages: 120 members
awk 'BEGIN { print "address,name"; for (i = 1; i <= 118; i++) printf "p%03d@example.org,Page %d\n", i, i }' >"$scratch/p.csv"
check "118 more members (120)" sh -c "'$sealist' -c '$scratch/sealist.conf' member import dev@example.org '$scratch/p.csv' >/dev/null"
get pg1 "$page" >/dev/null
check "page 1 has 50 rows" [ "$(rows pg1)" = 50 ]
check "  says page 1 of 3" has pg1 'Page 1 of 3'
check "  links next to page 2" has pg1 'class="next" href="/admin/lists/dev@example.org/members?page=2"'
check "  and last to page 3" has pg1 'class="last" href="/admin/lists/dev@example.org/members?page=3"'
check "  no previous link" has pg1 '<span class="prev">Previous</span>'
get pg2 "$page?page=2" >/dev/null
check "page 2 has 50 rows" [ "$(rows pg2)" = 50 ]
check "  first is page 1" has pg2 'class="first" href="/admin/lists/dev@example.org/members?page=1"'
check "  previous is page 1" has pg2 'class="prev" href="/admin/lists/dev@example.org/members?page=1"'
check "  next is page 3" has pg2 'class="next" href="/admin/lists/dev@example.org/members?page=3"'
get pg3 "$page?page=3" >/dev/null
check "page 3 has the last 20" [ "$(rows pg3)" = 20 ]
check "  and no next link" has pg3 '<span class="next">Next</span>'
get pg9 "$page?page=99" >/dev/null
check "a page past the end shows the last" has pg9 'Page 3 of 3'
get pgq "$page?q=example&page=1" >/dev/null
check "the search's page links keep the search" has pgq 'class="next" href="/admin/lists/dev@example.org/members?page=2&amp;q=example"'
all=$(cli member ls dev@example.org | cut -d' ' -f1)
shown=$(cat "$scratch/pg1.body" "$scratch/pg2.body" "$scratch/pg3.body" | sed -n 's/.*<td class="address">\([^<]*\)<.*/\1/p')
check "the three pages show every member once, in member ls order" [ "$all" = "$shown" ]

# 7. download
cli member export dev@example.org >"$scratch/cli.csv"
check "members.csv is 200" [ "$(get csv "$page.csv")" = 200 ]
check "  the same bytes as sealist member export" cmp -s "$scratch/csv.body" "$scratch/cli.csv"
check "  text/csv in UTF-8" grep -qi '^Content-Type: text/csv; charset=utf-8' "$scratch/csv.head"
check "  an attachment named for the list" grep -qi '^Content-Disposition: attachment; filename="dev@example.org-members.csv"' "$scratch/csv.head"

# 8. upload
upload() {	# upload NAME FILE MODE
	curl -s -b "$jar" -o "$scratch/$1.body" -D "$scratch/$1.head" -w '%{http_code}' \
		-F "csrf=$csrf" -F "csv=@$2;type=text/csv" -F "mode=$3" "$page/upload"
}
printf 'address,name,delivery,moderated\r\nup1@example.org,"Up, One",digest,yes\r\nup2@example.org,,,\r\n' >"$scratch/up.csv"
check "checking a good file is 303" [ "$(upload chk "$scratch/up.csv" check)" = 303 ]
check "  saying it would add two" [ "$(location chk)" = "/admin/lists/dev@example.org/members?done=checked&n=2&page=1" ]
check "  and adds nothing" ls_lacks up1@example.org
check "uploading it is 303" [ "$(upload up "$scratch/up.csv" add)" = 303 ]
check "  saying two were imported" [ "$(location up)" = "/admin/lists/dev@example.org/members?done=imported&n=2&page=1" ]
check "  member ls shows both" ls_has 'up1@example.org digest enabled moderated "Up, One"'
check "  the second too" ls_has 'up2@example.org regular enabled -'
cli member ls dev@example.org >"$scratch/before"
printf 'address,name\nbad1@example.org,A\nnot-an-address,B\nbad2@example.org,C\nup1@example.org,D\n' >"$scratch/bad.csv"
check "a file with bad rows is 400" [ "$(upload bad "$scratch/bad.csv" add)" = 400 ]
cli member ls dev@example.org >"$scratch/after"
check "  NOTHING added" cmp -s "$scratch/before" "$scratch/after"
check "  the bad row's line number and why" has bad 'Line 3: invalid address &quot;not-an-address&quot;: missing @'
check "  the existing member's too" has bad 'Line 5: up1@example.org is already a member of dev@example.org'
check "  and nothing imported" has bad '2 invalid rows; nothing was imported.'
cli member import dev@example.org "$scratch/bad.csv" 2>"$scratch/cli.err" >/dev/null
check "  the words are the CLI's" grep -F -q "bad.csv:3: invalid address \"not-an-address\": missing @" "$scratch/cli.err"
printf 'address\n"open@example.org\n' >"$scratch/broken.csv"
check "a file that is not CSV is 400" [ "$(upload broken "$scratch/broken.csv" add)" = 400 ]
check "  naming the line" has broken 'Line 3: quoted field opened on line 2 not closed; nothing imported'
: >"$scratch/empty.csv"
check "an empty file is 400" [ "$(upload empty "$scratch/empty.csv" add)" = 400 ]
check "  saying so" has empty 'empty file; expected a header such as &quot;address,name,delivery&quot;'
check "no file is 400" [ "$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' -F "csrf=$csrf" -F mode=add "$page/upload")" = 400 ]
cli member ls dev@example.org >"$scratch/after"
check "  still nothing changed" cmp -s "$scratch/before" "$scratch/after"

# 9. the 100,000-member list: first, middle and last page
for p in 1 1000 2000; do
	t=$(curl -s -b "$jar" -o "$scratch/big$p.body" -w '%{http_code} %{time_total}' \
		"$base/admin/lists/big@example.org/members?page=$p")
	diag "members page $p of 2000 (100,000 members): HTTP ${t% *}, ${t#* } s"
	check "big list page $p is 200" [ "${t% *}" = 200 ]
	check "  with 50 rows" [ "$(rows big$p)" = 50 ]
	check "  under $max_page s (${t#* } s)" awk "BEGIN { exit !(${t#* } < $max_page) }"
done
check "the last page ends with the last member" has big2000 '<td class="address">user100000@example.org</td>'
t=$(curl -s -b "$jar" -o "$scratch/bigq.body" -w '%{time_total}' "$base/admin/lists/big@example.org/members?q=user09999")
diag "a search over 100,000 members: $t s"
check "a search over 100,000 finds the 10 (user099990..user099999)" [ "$(rows bigq)" = 10 ]

# 10. a big upload (the route takes 8 MB, not the default 16 KB) and one too big
sz=$(wc -c <"$scratch/big.csv" | tr -d ' ')
code=$(curl -s -b "$jar" -o "$scratch/bigup.body" -D "$scratch/bigup.head" -w '%{http_code} %{time_total}' \
	-F "csrf=$csrf" -F "csv=@$scratch/big.csv;type=text/csv" -F mode=add \
	"$base/admin/lists/up@example.org/members/upload")
diag "uploading 100,000 members ($sz bytes): HTTP ${code% *}, ${code#* } s"
check "uploading 100,000 members is 303" [ "${code% *}" = 303 ]
check "  saying 100000 were imported" grep -q 'done=imported&n=100000' "$scratch/bigup.head"
check "  member ls has them all" [ "$(cli member ls up@example.org | wc -l | tr -d ' ')" = 100000 ]
awk 'BEGIN { print "address"; for (i = 1; i <= 400000; i++) printf "someone.with.a.long.name%06d@example.org\n", i }' >"$scratch/huge.csv"
check "a 17 MB upload is refused with 413" [ "$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' -F "csrf=$csrf" -F "csv=@$scratch/huge.csv" -F mode=add "$page/upload")" = 413 ]

# 11. the routes' roles: the owner's pages are not a moderator's, nor anyone's
mjar=$scratch/mod.jar
check "the moderator logs in" quiet web_login "$base" mod "correct horse battery" "$mjar"
check "  the members page is 403 for a moderator" [ "$(curl -s -b "$mjar" -o /dev/null -w '%{http_code}' "$page")" = 403 ]
check "  so is members.csv" [ "$(curl -s -b "$mjar" -o /dev/null -w '%{http_code}' "$page.csv")" = 403 ]
# No page of this test is the moderator's, so the session's token comes
# from the database: the POST must be refused for the role, not the token.
mcsrf=$(sqlite3 -cmd ".timeout 10000" "$db" "SELECT csrf FROM web_sessions WHERE user = 'mod'")
check "  (the moderator's session token)" [ -n "$mcsrf" ]
check "  and an add, with the moderator's own token" [ "$(curl -s -b "$mjar" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$mcsrf" --data-urlencode address=modadd@example.org "$page/add")" = 403 ]
check "  which added nothing" ls_lacks modadd@example.org
check "  and 403 on the page of a list where the user has no role" [ "$(curl -s -b "$mjar" -o /dev/null -w '%{http_code}' "$base/admin/lists/big@example.org/members")" = 403 ]
check "a list that does not exist is 404" [ "$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$base/admin/lists/nolist@example.org/members")" = 404 ]
check "without a session the page is a 303 to the login" [ "$(curl -s -o /dev/null -w '%{http_code}' "$page")" = 303 ]
check "an add without the CSRF token is 403" [ "$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode address=nocsrf@example.org "$page/add")" = 403 ]
check "  and adds nothing" ls_lacks nocsrf@example.org

tap_done
