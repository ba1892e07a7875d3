#!/bin/sh
# web_admin_c1.sh -- the list settings page and the moderation pages through
# the real sealistd over HTTP (curl, a logged-in owner and a moderator):
# the settings form has every category and every setting; a change shows
# in `sealist config export`; bad values answer 400 with the reason beside
# the field and change nothing; a field the form did not send keeps its
# value.  Posts from a non-member are held (LMTP, as pipeline.sh does);
# approving one delivers it to the member at the SMTP sink, rejecting one
# with a reason sends the poster a notice with that reason, two discarded
# at once are gone; <script> in a held post is shown escaped; a held id
# of another list is refused.  A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
send="$py $top_srcdir/tests/tools/lmtp_send.py"
sink="$top_srcdir/tests/tools/smtp_sink.py"

for tool in curl sqlite3 openssl $py; do
	if ! command -v "$tool" >/dev/null; then
		not_ok "$tool is installed"
		tap_done
		exit 1
	fi
done

db=$scratch/sealist.db
sock=$scratch/lmtp.sock
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 -cmd ".timeout 10000" "$db" "$1"; }

# the poster's domain: SPF passes for 198.51.100.0/24, DMARC p=none
# an author whose domain publishes p=reject and signs (author.example)
zone=$scratch/zone.txt
p=$(dkim_keygen "$scratch/author.pem" rsa) || exit 1
{ echo 'relaxed.example TXT "v=spf1 ip4:198.51.100.0/24 -all"'
  echo '_dmarc.relaxed.example TXT "v=DMARC1; p=none"'
  echo "s1._domainkey.author.example TXT \"v=DKIM1; k=rsa; p=$p\""
  echo 'author.example TXT "v=spf1 ip4:192.0.2.0/24 -all"'
  echo '_dmarc.author.example TXT "v=DMARC1; p=reject"'; } >"$zone"
check "dnsmasq serves the zone" dnsmasq_zone dns "$zone" --local=/example/ --local=/example.org/
dns_port=$port

mkdir -p "$scratch/sink"
$py "$sink" --dir "$scratch/sink" >"$scratch/sink.out" 2>"$scratch/sink.err" &
at_exit "kill $! 2>/dev/null"
check "the sink listens" wait_for "$scratch/sink.out" '^port ' 10
sink_port=$(awk '/^port /{print $2}' "$scratch/sink.out")

# the configuration (web_serve puts a free port into web_listen)
cat >"$scratch/sealist.conf" <<CONF
database = $db
keys_dir = $scratch/keys
lmtp_listen = unix:$sock
web_listen = 127.0.0.1:1
templates_dir = $scratch/templates
www_dir = $top_srcdir/www
dns_nameserver = 127.0.0.1:$dns_port
authserv_id = lists.test
pipeline_workers = 1
smtp_relay = smtp://127.0.0.1:$sink_port
smtp_starttls = off
retry_schedule = 1s
log_level = info
CONF
cp -r "$top_srcdir/templates" "$scratch/templates"
check "the list" cli list create dev@example.org --owner boss@example.org
check "another list" cli list create other@example.org --owner boss@example.org
check "a member" cli member add dev@example.org alice@relaxed.example
check "a signing key" sh -c "'$sealist' -c '$scratch/sealist.conf' key generate example.org >/dev/null"
echo 'owner-password-1' >"$scratch/pw"
check "an owner of dev" cli admin add owner --list dev@example.org --role owner --password-file "$scratch/pw"
check "a moderator of dev" cli admin add mod --list dev@example.org --role moderator --password-file "$scratch/pw"

check "the daemon serves the web" web_serve "$scratch/sealist.conf" "$scratch/daemon.log"
check "  and LMTP" wait_for "$scratch/daemon.log" "service=lmtp listen=unix:$sock served=yes"

location() { tr -d '\r' <"$scratch/$1.head" | sed -n 's/^[Ll]ocation: //p'; }
has() { grep -q -- "$2" "$scratch/$1.body"; }
exported() { cli config export dev@example.org | grep -E '^[a-z_]+ = '; }
value() { cli config export dev@example.org | sed -n "s/^$1 = //p"; }

settings=$base/admin/lists/dev@example.org/settings
heldurl=$base/admin/lists/dev@example.org/held
# the CSRF tokens are read from our own pages' forms (web_login reads /admin/'s)
oj=$scratch/owner.jar
web_login "$base" owner owner-password-1 "$oj" >/dev/null
csrf=$(web_csrf "$oj" "$settings")
check "the owner logs in" [ -n "$csrf" ]
mj=$scratch/mod.jar
web_login "$base" mod owner-password-1 "$mj" >/dev/null
mcsrf=$(web_csrf "$mj" "$heldurl")
check "the moderator logs in" [ -n "$mcsrf" ]

# 1. The form: every category, every setting, labelled.
check "GET settings: 200" [ "$(fetch s1 -b "$oj" "$settings")" = 200 ]
check "  one form id=settings" [ "$(grep -c '<form id="settings" method="post"' "$scratch/s1.body")" = 1 ]
check "  with the csrf field" has s1 "name=\"csrf\" value=\"$csrf\""
check "  and a Save button" has s1 '<button type="submit">Save</button>'
# the categories' titles as config export writes them: "## TITLE" then "#"
cli config export dev@example.org | awk 'prev ~ /^## / && $0 == "#" { print substr(prev, 4) } { prev = $0 }' \
	>"$scratch/categories"
check "config export names nine categories" [ "$(wc -l <"$scratch/categories")" = 9 ]
missing=
while read -r title; do
	grep -qF "<legend>$title</legend>" "$scratch/s1.body" || missing="$missing [$title]"
done <"$scratch/categories"
check "  a fieldset with a legend for each${missing:+: missing$missing}" [ -z "$missing" ]
exported | sed 's/ = .*//' >"$scratch/names"
missing=
while read -r name; do
	{ grep -qF "<label for=\"$name\">" "$scratch/s1.body" \
	  && grep -qF "id=\"$name\" name=\"$name\"" "$scratch/s1.body" \
	  && grep -qF "aria-describedby=\"$name-help\"" "$scratch/s1.body"; } || missing="$missing $name"
done <"$scratch/names"
check "  every exported setting ($(wc -l <"$scratch/names")) has a labelled control with help${missing:+: missing$missing}" [ -z "$missing" ]
check "  a boolean is a select" has s1 '<select id="emergency" name="emergency"'
check "  an int is a number" grep -q 'id="max_message_size" name="max_message_size" aria-describedby="max_message_size-help" type="number"' "$scratch/s1.body"
check "  a pattern list is a textarea" has s1 '<textarea id="accept_these_nonmembers"'

# 2. A change is stored and exported.
status=$(fetch s2 -b "$oj" --data-urlencode "csrf=$csrf" --data-urlencode "subject_prefix=[dev-web] " \
	--data-urlencode "emergency=1" \
	--data-urlencode "accept_these_nonmembers=$(printf 'friend@partner.example\r\n  ^.*@trusted\\.example$  \r\n\r\n')" \
	"$settings")
check "POST settings: 303" [ "$status" = 303 ]
check "  back to ?saved=1" [ "$(location s2)" = "/admin/lists/dev@example.org/settings?saved=1" ]
check "  which says Saved." sh -c "[ \"\$(curl -s -o '$scratch/s3.body' -w '%{http_code}' -b '$oj' '$settings?saved=1')\" = 200 ] && grep -q 'Saved.' '$scratch/s3.body'"
check "  config export has the subject prefix" [ "$(value subject_prefix)" = "'[dev-web] '" ]
check "  and the boolean" [ "$(value emergency)" = 1 ]
check "  and the pattern list, one item a line, blanks dropped" \
	[ "$(value accept_these_nonmembers)" = "['friend@partner.example', '^.*@trusted\\\\.example\$']" ]
check "  the page shows the new prefix" grep -q 'id="subject_prefix" name="subject_prefix" aria-describedby="subject_prefix-help" type="text" value="\[dev-web\] "' "$scratch/s3.body"

# 3. Only the fields sent change.
check "POST only the description: 303" [ "$(fetch s4 -b "$oj" --data-urlencode "csrf=$csrf" --data-urlencode "description=Web & <friends>" "$settings")" = 303 ]
check "  the description changed" [ "$(value description)" = "'Web & <friends>'" ]
check "  the prefix did not" [ "$(value subject_prefix)" = "'[dev-web] '" ]
check "  nor the boolean" [ "$(value emergency)" = 1 ]
check "the description is shown escaped" sh -c "curl -s -b '$oj' '$settings' | grep -qF 'value=\"Web &amp; &lt;friends&gt;\"'"

# a footer far longer than the default body limit (16 KiB) arrives whole
head -c 30000 /dev/zero | tr '\0' 'f' | fold -w 100 | sed 's/$/\r/' >"$scratch/footer"
check "a 30,000-character footer: 303" [ "$(fetch s9 -b "$oj" --data-urlencode "csrf=$csrf" --data-urlencode "msg_footer@$scratch/footer" "$settings")" = 303 ]
check "  stored whole, CR LF as LF" [ "$(sql "SELECT length(value) || ' ' || instr(value, char(13)) FROM list_settings WHERE name = 'msg_footer'")" = "30300 0" ]

# 4. Bad values: 400, the reasons beside the fields, nothing changed.
exported >"$scratch/before"
status=$(fetch s5 -b "$oj" --data-urlencode "csrf=$csrf" --data-urlencode "max_message_size=lots" \
	--data-urlencode "generic_nonmember_action=7" --data-urlencode "description=should not stick" \
	--data-urlencode "subject_prefix=[changed] " "$settings")
check "bad values: 400" [ "$status" = 400 ]
check "  a summary at the top (role=alert) naming both" sh -c "grep -q 'role=\"alert\"' '$scratch/s5.body' && grep -q '2 settings could not be saved' '$scratch/s5.body'"
check "  the int's error beside it" grep -q '<p id="max_message_size-error" class="error">expected a whole number' "$scratch/s5.body"
check "  the int marked invalid" grep -q 'id="max_message_size" name="max_message_size" aria-invalid="true" aria-describedby="max_message_size-error max_message_size-help"' "$scratch/s5.body"
check "  what was typed is shown again" has s5 'value="lots"'
check "  the unknown choice's error beside it" grep -q '<p id="generic_nonmember_action-error" class="error">expected one of' "$scratch/s5.body"
check "  the unknown choice kept, selected" has s5 '<option value="7" selected>7 (not a legal value)</option>'
check "  the good field re-filled as typed" has s5 'value="should not stick"'
exported >"$scratch/after"
check "  nothing changed" cmp -s "$scratch/before" "$scratch/after"
check "  the description is still the old one" [ "$(value description)" = "'Web & <friends>'" ]
status=$(fetch s6 -b "$oj" --data-urlencode "csrf=$csrf" --data-urlencode "reply_to_address=not an address" "$settings")
check "a bad address: 400" [ "$status" = 400 ]
check "  its reason beside it" grep -q '<p id="reply_to_address-error" class="error">invalid address' "$scratch/s6.body"
check "a moderator may not see the settings: 403" [ "$(fetch s7 -b "$mj" "$settings")" = 403 ]

# 5. Held posts.
# post NAME FROM SUBJECT BODY [LIST] -- a post over LMTP from FROM
post() {
	printf '%s\r\n' "From: $2" "To: ${5:-dev@example.org}" "Subject: $3" \
		"Date: Fri, 27 Nov 2026 10:00:00 +0000" "Message-ID: <$1@test>" \
		"MIME-Version: 1.0" "Content-Type: text/plain; charset=us-ascii" "" \
		"$4" >"$scratch/$1.eml"
	$send "unix:$sock" "$(echo "$2" | sed 's/.*<//; s/>.*//')" "$scratch/$1.eml" "${5:-dev@example.org}" \
		--xforward ADDR=198.51.100.7 | grep -q ' 250 '
}
check "emergency off again" [ "$(fetch s8 -b "$oj" --data-urlencode "csrf=$csrf" --data-urlencode "emergency=0" "$settings")" = 303 ]
check "post h1" post h1 "Carol <carol@relaxed.example>" "approve me" "Please approve."
check "post h2" post h2 "Carol <carol@relaxed.example>" "reject me" "Please reject."
check "post h3" post h3 "Carol <carol@relaxed.example>" "discard me 1" "Bye."
check "post h4" post h4 "Carol <carol@relaxed.example>" "discard me 2" "Bye."
check "post h5" post h5 "Carol <carol@relaxed.example>" '<script>alert(1)</script> "><img src=x onerror=alert(1)>' \
	'Body <script>alert(2)</script> & "><img src=y onerror=alert(2)>'
check "post o1 to the other list" post o1 "Carol <carol@relaxed.example>" "other list" "Elsewhere." other@example.org
held() { sql "SELECT count(*) FROM held"; }
check "all six are held" sh -c "i=0; while [ \$i -lt 150 ]; do [ \"\$(sqlite3 -cmd '.timeout 10000' '$db' 'SELECT count(*) FROM held')\" = 6 ] && exit 0; sleep 0.2; i=\$((i+1)); done; exit 1"
hid() { sql "SELECT id FROM held WHERE subject = '$1'"; }
h1=$(hid "approve me"); h2=$(hid "reject me"); h3=$(hid "discard me 1"); h4=$(hid "discard me 2")
h5=$(sql "SELECT id FROM held WHERE subject LIKE '<script>%'"); o1=$(hid "other list")

check "GET held: 200" [ "$(fetch h1 -b "$mj" "$heldurl")" = 200 ]
check "  form id=held" has h1 '<form id="held" method="post"'
check "  five rows, a checkbox id each" [ "$(grep -c '<input type="checkbox" name="id" value="[0-9]*"' "$scratch/h1.body")" = 5 ]
check "  each labelled" has h1 "<label for=\"held-$h1\">#$h1</label>"
check "  the three buttons" sh -c "grep -q 'name=\"action\" value=\"approve\">Approve<' '$scratch/h1.body' && grep -q 'name=\"action\" value=\"reject\">Reject<' '$scratch/h1.body' && grep -q 'name=\"action\" value=\"discard\">Discard<' '$scratch/h1.body'"
check "  a reason field" has h1 '<input type="text" id="reason" name="reason"'
check "  the sender and reason" sh -c "grep -q 'carol@relaxed.example' '$scratch/h1.body' && grep -qi 'non-member' '$scratch/h1.body'"
check "  the verdict summary" has h1 'DMARC pass (relaxed.example'
check "  not the other list's post" sh -c "! grep -q 'other list' '$scratch/h1.body'"
check "  no raw <script> or <img" sh -c "! grep -qi '<script\|<img' '$scratch/h1.body'"
check "  the subject escaped" has h1 '&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x'
check "GET the <script> post: 200" [ "$(fetch h5 -b "$mj" "$heldurl/$h5")" = 200 ]
check "  no raw <script> or <img" sh -c "! grep -qi '<script\|<img' '$scratch/h5.body'"
check "  the body escaped in a <pre>" has h5 'Body &lt;script&gt;alert(2)&lt;/script&gt; &amp; &quot;&gt;&lt;img src=y'
check "  the headers too" has h5 '<pre class="message-headers">'
check "  with its Authentication-Results" has h5 'lists.test'
check "  and the actions, this id hidden" has h5 "<input type=\"hidden\" name=\"id\" value=\"$h5\">"
check "the other list's post by dev's URL: 404" [ "$(fetch o1 -b "$mj" "$heldurl/$o1")" = 404 ]
check "  deciding it there: 404" [ "$(fetch o2 -b "$mj" --data-urlencode "csrf=$mcsrf" -d "id=$o1" -d action=discard "$heldurl")" = 404 ]
check "  with one of dev's beside it: 404" [ "$(fetch o3 -b "$mj" --data-urlencode "csrf=$mcsrf" -d "id=$h3" -d "id=$o1" -d action=discard "$heldurl")" = 404 ]
check "  all still held" [ "$(held)" = 6 ]
check "a held id that is not a number: 404" [ "$(fetch o4 -b "$mj" "$heldurl/abc")" = 404 ]
check "no decision: 400" [ "$(fetch o5 -b "$mj" --data-urlencode "csrf=$mcsrf" -d "id=$h1" -d action=publish "$heldurl")" = 400 ]
check "nothing ticked: back with a word" sh -c "[ \"\$(curl -s -o /dev/null -D '$scratch/o6.head' -w '%{http_code}' -b '$mj' --data-urlencode 'csrf=$mcsrf' -d action=approve '$heldurl')\" = 303 ] && grep -q 'none=1' '$scratch/o6.head'"

sink_has() {	# sink_has RCPT TEXT -- a message to RCPT containing TEXT reached the sink
	i=0
	while [ $i -lt 150 ]; do
		for env in "$scratch"/sink/*.env; do
			[ -f "$env" ] || continue
			grep -qx "rcpt $1" "$env" && grep -qF -- "$2" "${env%.env}.eml" && return 0
		done
		sleep 0.2; i=$((i + 1))
	done
	return 1
}
# 6. approve -> the member gets it
check "approve one: 303" [ "$(fetch a1 -b "$mj" --data-urlencode "csrf=$mcsrf" -d "id=$h1" -d action=approve "$heldurl")" = 303 ]
check "  the result in the URL" [ "$(location a1)" = "/admin/lists/dev@example.org/held?action=approve&done=1&gone=0&failed=0" ]
check "  which the page says" sh -c "curl -s -b '$mj' '$base$(location a1)' | grep -q 'Approved 1 post.'"
check "  it is no longer held" [ "$(hid "approve me")" = "" ]
check "  the member gets it at the sink" sink_has alice@relaxed.example "approve me"

# 7. reject with a reason -> the poster is told the reason
check "reject one with a reason: 303" [ "$(fetch r1 -b "$mj" --data-urlencode "csrf=$mcsrf" -d "id=$h2" -d action=reject --data-urlencode "reason=Off topic, see the list rules" "$heldurl")" = 303 ]
check "  no longer held" [ "$(hid "reject me")" = "" ]
check "  the poster's notice has the reason at the sink" sink_has carol@relaxed.example "Off topic, see the list rules"
check "  the member never gets it" sh -c "! grep -l 'reject me' '$scratch'/sink/*.eml 2>/dev/null | sed 's/eml\$/env/' | xargs -r grep -qx 'rcpt alice@relaxed.example'"

# 8. discard two at once
check "discard two: 303" [ "$(fetch d1 -b "$mj" --data-urlencode "csrf=$mcsrf" -d "id=$h3" -d "id=$h4" -d action=discard "$heldurl")" = 303 ]
check "  done=2" [ "$(location d1)" = "/admin/lists/dev@example.org/held?action=discard&done=2&gone=0&failed=0" ]
check "  both gone" [ "$(sql "SELECT count(*) FROM held WHERE id IN ($h3, $h4)")" = 0 ]
check "  the <script> post and the other list's remain" [ "$(held)" = 2 ]
check "deciding a gone one again is counted as gone" sh -c "[ \"\$(curl -s -o /dev/null -D '$scratch/d2.head' -w '%{http_code}' -b '$mj' --data-urlencode 'csrf=$mcsrf' -d 'id=$h3' -d action=discard '$heldurl')\" = 303 ] && grep -q 'gone=1' '$scratch/d2.head'"
sleep 1
# (the poster's and the moderators' held notices name them; the member gets nothing)
check "  the member never gets a discarded post" sh -c "! grep -l 'discard me' '$scratch'/sink/*.eml 2>/dev/null | sed 's/eml\$/env/' | xargs -r grep -qx 'rcpt alice@relaxed.example'"
# 10. a signed post from a p=reject domain: approving it checks the
# author's signature against the rewritten post (dmarc_keep_unmodified),
# which needs DNS in the web server's context too
printf '%s\r\n' "From: Dora <dora@author.example>" "To: dev@example.org" "Subject: signed strict post" \
	"Date: Fri, 27 Nov 2026 10:00:00 +0000" "Message-ID: <s1@test>" "MIME-Version: 1.0" \
	"Content-Type: text/plain; charset=us-ascii" "" "Signed by author.example." >"$scratch/s1.eml"
"$sealist" dkim sign --domain author.example --selector s1 --key "$scratch/author.pem" \
	<"$scratch/s1.eml" >"$scratch/s1.signed"
check "a signed post from a p=reject author goes in" sh -c "$send 'unix:$sock' dora@author.example '$scratch/s1.signed' dev@example.org --xforward ADDR=192.0.2.10 | grep -q ' 250 '"
check "  held (a non-member)" sh -c "i=0; while [ \$i -lt 150 ]; do [ -n \"\$(sqlite3 -cmd '.timeout 10000' '$db' \"SELECT id FROM held WHERE subject = 'signed strict post'\")\" ] && exit 0; sleep 0.2; i=\$((i+1)); done; exit 1"
check "  with DMARC pass, p=reject on the page" sh -c "curl -s -b '$mj' '$heldurl' | grep -q 'DMARC pass (author.example, p=reject)'"
check "approve it: 303" [ "$(fetch a2 -b "$mj" --data-urlencode "csrf=$mcsrf" -d "id=$(hid "signed strict post")" -d action=approve "$heldurl")" = 303 ]
check "  done" [ "$(location a2)" = "/admin/lists/dev@example.org/held?action=approve&done=1&gone=0&failed=0" ]
check "  the member gets it" sink_has alice@relaxed.example "signed strict post"
check "  From munged (p=reject)" sink_has alice@relaxed.example 'From: "Dora via dev" <dev@example.org>'
check "  the daemon is still up" kill -0 "$daemon"

# 9. the CLI gives a rejected poster its reason the same way
check "post h6" post h6 "Carol <carol@relaxed.example>" "reject me by CLI" "Again."
check "  held" sh -c "i=0; while [ \$i -lt 150 ]; do [ -n \"\$(sqlite3 -cmd '.timeout 10000' '$db' \"SELECT id FROM held WHERE subject = 'reject me by CLI'\")\" ] && exit 0; sleep 0.2; i=\$((i+1)); done; exit 1"
check "sealist held reject --reason" sh -c "'$sealist' -c '$scratch/sealist.conf' held reject --reason 'Please use the forum' $(hid "reject me by CLI") >/dev/null"
check "  the poster's notice has that reason" sink_has carol@relaxed.example "a moderator rejected it: Please use the forum"
check "the daemon is still up" kill -0 "$daemon"
tap_done
