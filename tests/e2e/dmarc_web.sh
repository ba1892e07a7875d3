#!/bin/sh
# NAME
#	dmarc_web.sh
# SUMMARY
#	the DMARC report page and `sealist dmarc-report summary` over the
#	scripted week, against Python's own reading of the reports
# DESCRIPTION
#	The real sealistd with its web server; `sealist dmarc-report import`
#	the week tests/data/dmarc-reports/week (21 reports: Google-,
#	Microsoft- and Yahoo-shaped, 2026-11-01 to 07, see make-week.py), then:
#	  - the summary (--days 7 --now 2026-11-08T00:00Z) and the page
#	    /admin/dmarc?domain=lists.example.org&end=2026-11-07 show the
#	    figures tests/oracle/dmarc_week.py works out from the files with
#	    Python's standard library (xml.etree, gzip, zipfile): per day
#	    messages, passes and pass rate (the chart's bars and its table),
#	    per source (the most failing first, the list server marked), per
#	    receiver, and the verdict's numbers; the verdict names the
#	    receiver where the list server's DKIM failed, the day, and the
#	    likely cause;
#	  - the week's MANIFEST totals are the oracle's;
#	  - one day: the failing day names Enterprise Outlook, the day after
#	    says all passed;
#	  - who sees what: logged out 303 to the login; the site admin every
#	    domain; the owner of a list in lists.example.org its page and a
#	    link from the list page; the owner of a list elsewhere 404 (and the
#	    domain is not in its index); a bad domain 404, bad days/end 400;
#	  - a week with no reports says so, and where reports come from;
#	  - (H8) the summary prints the verdict under the table, wrapped at 72
#	    columns: it names Enterprise Outlook, 2026-11-04 and the cause, and
#	    its words are the page's (markup and whitespace aside); --brief
#	    prints only the verdict; --check exits 1 for the week, 0 for the
#	    3 days after the failing day; without outbound_ips it refuses.
#	Prints TAP.  A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
week=$top_srcdir/tests/data/dmarc-reports/week
oracle="$py $top_srcdir/tests/oracle/dmarc_week.py"
need_tools curl sqlite3 $py

db=$scratch/sealist.db
OUTBOUND="192.0.2.25 2001:db8:25::25"
BEGIN=1793491200	# 2026-11-01T00:00:00Z
END=1794096000		# 2026-11-08T00:00:00Z
DOMAIN=lists.example.org
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
outbound_ips = $OUTBOUND
CONF

# -- the week: its MANIFEST against the oracle, the import --------------------
n=$(grep -vc '^#' "$week/MANIFEST")
check "the week has 21 reports ($n)" [ "$n" -eq 21 ]
$py - "$week" "$top_srcdir/tests/oracle/dmarc_week.py" >"$scratch/manifest.out" 2>&1 <<'EOF'
import subprocess, sys, os
# the #day and #source lines of MANIFEST against the oracle's JSON per day
d = sys.argv[1]
lines = [l.rstrip('\n') for l in open(os.path.join(d, 'MANIFEST'))]
days = {l.split('|')[1]: (int(l.split('|')[2]), int(l.split('|')[3]))
        for l in lines if l.startswith('#day|')}
import json
out = subprocess.check_output([sys.executable, sys.argv[2], d, '1793491200',
                               '1794096000', '', 'json'])
got = {x['day']: (x['messages'], x['pass']) for x in json.loads(out)}
print('MANIFEST days %s, oracle %s' % (days, got))
sys.exit(0 if days == got and len(days) == 7 else 1)
EOF
[ $? -eq 0 ] && ok "the MANIFEST's daily totals are what the files hold" \
	|| { not_ok "the MANIFEST's daily totals are what the files hold"; sed 's/^/#   /' "$scratch/manifest.out"; }
set --
for f in "$week"/*; do
	[ "${f##*/}" = MANIFEST ] || set -- "$@" "$f"
done
check "import the week" sh -c "'$sealist' -c '$scratch/sealist.conf' dmarc-report import $(printf "'%s' " "$@") >'$scratch/import.out' 2>&1"
check "  21 reports imported" [ "$(grep -c ': imported ' "$scratch/import.out")" -eq 21 ]

# -- the summary ------------------------------------------------------------------
cli dmarc-report summary $DOMAIN --days 7 --now $END >"$scratch/summary.out" 2>&1
check "summary of the week" [ $? -eq 0 ]
if $oracle "$week" $BEGIN $END "$OUTBOUND" summary "$scratch/summary.out" >"$scratch/py.out"; then
	ok "summary: the figures of the files ($(head -1 "$scratch/py.out"))"
else
	not_ok "summary: the figures of the files"; sed 's/^/#   /' "$scratch/py.out" | head -20
fi

# (H8) the verdict under the table: the summary's lines that are not the
# table's (those start with a space, or are the domain's line) nor the legend
sed -e '1,2d' -e '/^ /d' -e '/^[*!] = /d' -e '/^$/d' "$scratch/summary.out" >"$scratch/cli-verdict"
check "summary: a verdict under the table" [ -s "$scratch/cli-verdict" ]
check "  names Enterprise Outlook and what failed" grep -qF 'At Enterprise Outlook, DKIM failed for 12 of 770 messages from' "$scratch/cli-verdict"
check "  the day" sh -c "tr '\n' ' ' <'$scratch/cli-verdict' | grep -qF 'It happened on 2026-11-04.'"
check "  the cause" sh -c "tr '\n' ' ' <'$scratch/cli-verdict' | grep -F 'so the key is published and matches' | grep -qF 'sealist key check $DOMAIN'"
check "  the window as the page names it" sh -c "tr '\n' ' ' <'$scratch/cli-verdict' | grep -qF 'in the 7 days to 2026-11-07'"
check_fails "  no line over 72 columns" sh -c "awk 'length(\$0) > 72' '$scratch/cli-verdict' | grep -q ."
check "  but wrapped near it" sh -c "awk 'length(\$0) > 64' '$scratch/cli-verdict' | grep -q ."
cli dmarc-report summary $DOMAIN --days 7 --now $END --brief >"$scratch/brief.out" 2>&1
check "--brief: exit 0" [ $? -eq 0 ]
check "  the domain first" [ "$(head -1 "$scratch/brief.out")" = "$DOMAIN:" ]
check_fails "  no table, no legend" grep -q 'SOURCE IP\|^  \|^\* = ' "$scratch/brief.out"
$py - "$scratch/brief.out" "$scratch/cli-verdict" >"$scratch/brief.cmp" 2>&1 <<'EOF'
import sys
brief = open(sys.argv[1], encoding='utf-8').read().split('\n', 1)[1]
full = open(sys.argv[2], encoding='utf-8').read()
sys.exit(0 if brief.split() == full.split() and len(full.split()) > 50 else 1)
EOF
check "  then the verdict under the table, word for word" [ $? -eq 0 ]
cli dmarc-report summary $DOMAIN --days 7 --now $END --brief --check >/dev/null 2>&1
check "--check: the week (DKIM failed on 2026-11-04) exits 1" [ $? -eq 1 ]
cli dmarc-report summary --days 7 --now $END --check >/dev/null 2>&1
check "  every domain, the week: exits 1" [ $? -eq 1 ]
cli dmarc-report summary --days 3 --now $END --check >"$scratch/check3.out" 2>&1
check "--check: the 3 days after it exit 0" [ $? -eq 0 ]
check "  with the table and a verdict" sh -c "grep -q '^  \* 192.0.2.25 ' '$scratch/check3.out' && grep -q '^All mail from your list server' '$scratch/check3.out'"
cli dmarc-report summary other.example --days 7 --now $END --brief >"$scratch/brief-none.out" 2>&1
check "--brief, a domain with no reports: says so" sh -c "tr '\n' ' ' <'$scratch/brief-none.out' | grep -qF 'No DMARC aggregate reports about other.example arrived in the 7 days to 2026-11-07.'"
grep -v '^outbound_ips' "$scratch/sealist.conf" >"$scratch/nonets.conf"
"$sealist" -c "$scratch/nonets.conf" dmarc-report summary $DOMAIN --days 7 --now $END --check >"$scratch/nonets.out" 2>&1
check "--check without outbound_ips: exits 1" [ $? -eq 1 ]
check "  and says why" grep -q 'check needs outbound_ips' "$scratch/nonets.out"

# -- lists, accounts, the daemon ----------------------------------------------------
printf '%s\n' "pw-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" >"$scratch/pw"
pw=$(cat "$scratch/pw")
check "a list at $DOMAIN" cli list create dev@$DOMAIN --owner boss@$DOMAIN
check "a list elsewhere" cli list create team@other.example --owner boss@other.example
check "a site admin" cli admin add admin --password-file "$scratch/pw"
check "an owner of dev@$DOMAIN" cli admin add owner1 --list dev@$DOMAIN --role owner --password-file "$scratch/pw"
check "an owner of team@other.example" cli admin add owner2 --list team@other.example --role owner --password-file "$scratch/pw"
: >"$scratch/daemon.log"
if ! web_serve "$scratch/sealist.conf" "$scratch/daemon.log"; then
	not_ok "the daemon serves the web"
	sed 's/^/#   /' "$scratch/daemon.log" | tail -20
	tap_done
	exit 1
fi
ok "the daemon serves the web"
page="$base/admin/dmarc?domain=$DOMAIN"
check "logged out: 303 to the login" [ "$(fetch out "$page&end=2026-11-07")" = 303 ]
check "  (the index too)" [ "$(fetch out2 "$base/admin/dmarc")" = 303 ]
web_login "$base" admin "$pw" "$scratch/admin.jar" >/dev/null || not_ok "log in as admin"
web_login "$base" owner1 "$pw" "$scratch/owner1.jar" >/dev/null || not_ok "log in as owner1"
web_login "$base" owner2 "$pw" "$scratch/owner2.jar" >/dev/null || not_ok "log in as owner2"

# -- the page of the week ---------------------------------------------------------------
check "the week's page: 200" [ "$(fetch week -b "$scratch/admin.jar" "$page&end=2026-11-07")" = 200 ]
if $oracle "$week" $BEGIN $END "$OUTBOUND" page "$scratch/week.body" >"$scratch/py.out"; then
	ok "page: the figures of the files ($(head -1 "$scratch/py.out"))"
else
	not_ok "page: the figures of the files"; sed 's/^/#   /' "$scratch/py.out" | head -20
fi
# vhas NAME TEXT... -- the verdict of page NAME has each TEXT (fixed strings)
vhas() {
	vh_name=$1; shift
	sed -n '/id="dmarc-verdict"/,/<\/section>/p' "$scratch/$vh_name.body" >"$scratch/verdict"
	for vh_text in "$@"; do
		grep -qF -- "$vh_text" "$scratch/verdict" || return 1
	done
}
check "  the verdict names the receiver where DKIM failed" \
	sh -c "grep -F 'At Enterprise Outlook, DKIM failed for 12 of 770 messages from 192.0.2.25' '$scratch/week.body' >/dev/null"
check "  on 2026-11-04" grep -qF '(DMARC passed on SPF). It happened on 2026-11-04.' "$scratch/week.body"
check "  and the likely cause" sh -c "grep -F 'so the key is published and matches' '$scratch/week.body' | grep -F 'sealist key check $DOMAIN' >/dev/null"
check "  and the spoofer" sh -c "grep -F 'the most from 203.0.113.66' '$scratch/week.body' >/dev/null"
# (H8) the page's verdict and the CLI's: the same words
$py - "$scratch/week.body" "$scratch/cli-verdict" >"$scratch/same.out" 2>&1 <<'EOF'
import html, re, sys
body = open(sys.argv[1], encoding='utf-8').read()
sec = body.split('id="dmarc-verdict"', 1)[1].split('</section>', 1)[0]
sec = sec.split('</h2>', 1)[1]                 # the heading "Verdict" is not the verdict
page = html.unescape(re.sub(r'<[^>]*>', ' ', sec)).split()
cli = open(sys.argv[2], encoding='utf-8').read().split()
print('%d words each' % len(page) if page == cli else 'page %d words, CLI %d' % (len(page), len(cli)))
if page != cli:
    print('page: %s' % ' '.join(page))
    print('cli:  %s' % ' '.join(cli))
sys.exit(0 if page == cli and len(page) > 50 else 1)
EOF
[ $? -eq 0 ] && ok "  the page's verdict is the CLI's ($(head -1 "$scratch/same.out"))" \
	|| { not_ok "  the page's verdict is the CLI's"; sed 's/^/#   /' "$scratch/same.out"; }
first=$(sed -n '/id="dmarc-sources"/,/<\/table>/p' "$scratch/week.body" | sed -n 's/.*<tr class="[^"]*" data-org="[^"]*" data-ip="\([^"]*\)".*/\1/p' | head -1)
check "  the first source is the spoofer ($first)" [ "$first" = 203.0.113.66 ]
check "  the chart has 7 bars" [ "$(grep -c '<rect class="bar" ' "$scratch/week.body")" -eq 7 ]
check "  with a title" grep -q '<title id="dmarc-chart-title">' "$scratch/week.body"
check "  the list server marked" grep -q 'class="ours".*192.0.2.25 <span class="badge">list server' "$scratch/week.body"
check "  the navigation links the page" grep -q 'href="[^"]*/admin/dmarc"' "$scratch/week.body"

# one day: the bad one, then the next
check "2026-11-04 alone: 200" [ "$(fetch day4 -b "$scratch/admin.jar" "$page&days=1&end=2026-11-04")" = 200 ]
$oracle "$week" $((BEGIN + 3 * 86400)) $((BEGIN + 4 * 86400)) "$OUTBOUND" page "$scratch/day4.body" >"$scratch/py.out" \
	&& ok "  its figures ($(head -1 "$scratch/py.out"))" \
	|| { not_ok "  its figures"; sed 's/^/#   /' "$scratch/py.out" | head; }
check "  names Enterprise Outlook" vhas day4 'At Enterprise Outlook, DKIM failed for 12 of '
check "  on 2026-11-04" vhas day4 'on 2026-11-04'
check "2026-11-05 alone: 200" [ "$(fetch day5 -b "$scratch/admin.jar" "$page&days=1&end=2026-11-05")" = 200 ]
check "  all passed" vhas day5 'All mail from your list server (' \
	'passed DMARC at Enterprise Outlook, google.com and Yahoo on 2026-11-05.'
check_fails "  no DKIM failure" grep -q 'DKIM failed' "$scratch/day5.body"

# no reports
check "a week in October: 200" [ "$(fetch oct -b "$scratch/admin.jar" "$page&end=2026-10-07")" = 200 ]
check "  says there are none" vhas oct \
	"No DMARC aggregate reports about $DOMAIN arrived in the 7 days to 2026-10-07."
check "  and where they come from" vhas oct "mailto:dmarc-reports@$DOMAIN" "_dmarc.$DOMAIN"
check_fails "  no chart" grep -q '<rect class="bar"' "$scratch/oct.body"

# -- who sees what ----------------------------------------------------------------------------
check "the owner of dev@$DOMAIN: 200" [ "$(fetch o1 -b "$scratch/owner1.jar" "$page&end=2026-11-07")" = 200 ]
check "  the same figures" sh -c "$oracle '$week' $BEGIN $END '$OUTBOUND' page '$scratch/o1.body' >/dev/null"
check "  its list page: 200" [ "$(fetch lp -b "$scratch/owner1.jar" "$base/admin/lists/dev@$DOMAIN/")" = 200 ]
check "  links the domain's reports" \
	grep -q "id=\"dmarc-link\" href=\"[^\"]*/admin/dmarc?domain=$DOMAIN\"" "$scratch/lp.body"
check "the owner of a list elsewhere: 404" [ "$(fetch o2 -b "$scratch/owner2.jar" "$page&end=2026-11-07")" = 404 ]
check_fails "  that tells nothing" grep -q '192.0.2.25\|Enterprise' "$scratch/o2.body"
check "  its own domain: 200" [ "$(fetch o2own -b "$scratch/owner2.jar" "$base/admin/dmarc?domain=other.example")" = 200 ]
check "  with no reports" grep -q 'No DMARC aggregate reports about other.example' "$scratch/o2own.body"
check "  its index: 200" [ "$(fetch o2idx -b "$scratch/owner2.jar" "$base/admin/dmarc")" = 200 ]
check "  shows other.example" grep -q 'data-domain="other.example"' "$scratch/o2idx.body"
check_fails "  not $DOMAIN" grep -q "data-domain=\"$DOMAIN\"" "$scratch/o2idx.body"
check "the admin's index: 200" [ "$(fetch idx -b "$scratch/admin.jar" "$base/admin/dmarc")" = 200 ]
check "  shows both domains" sh -c "grep -q 'data-domain=\"$DOMAIN\"' '$scratch/idx.body' && grep -q 'data-domain=\"other.example\"' '$scratch/idx.body'"
check "  in any case: 200" [ "$(fetch upper -b "$scratch/admin.jar" "$base/admin/dmarc?domain=LISTS.Example.ORG&end=2026-11-07")" = 200 ]
check "  the same figures" sh -c "$oracle '$week' $BEGIN $END '$OUTBOUND' page '$scratch/upper.body' >/dev/null"
check "a bad domain: 404" [ "$(fetch bad -b "$scratch/admin.jar" "$base/admin/dmarc?domain=a%3Cb%3E.example")" = 404 ]
check "days=0: 400" [ "$(fetch d0 -b "$scratch/admin.jar" "$page&days=0")" = 400 ]
check "days=91: 400" [ "$(fetch d91 -b "$scratch/admin.jar" "$page&days=91")" = 400 ]
check "end=2026-02-30: 400" [ "$(fetch e1 -b "$scratch/admin.jar" "$page&end=2026-02-30")" = 400 ]
check "end=yesterday: 400" [ "$(fetch e2 -b "$scratch/admin.jar" "$page&end=yesterday")" = 400 ]
check "90 days: 200" [ "$(fetch d90 -b "$scratch/admin.jar" "$page&days=90&end=2026-11-30")" = 200 ]
check "  90 bars" [ "$(grep -c '<rect class="bar" ' "$scratch/d90.body")" -eq 90 ]
$oracle "$week" $((END + 23 * 86400 - 90 * 86400)) $((END + 23 * 86400)) "$OUTBOUND" page "$scratch/d90.body" >"$scratch/py.out" \
	&& ok "  the figures ($(head -1 "$scratch/py.out"))" \
	|| { not_ok "  the figures"; sed 's/^/#   /' "$scratch/py.out" | head; }

kill "$daemon"
check "the daemon stops" wait_gone "$daemon" 10
check_fails "no errors in the daemon's log" grep -q 'level=error' "$scratch/daemon.log"
check_fails "no sanitizer reports" grep -q 'Sanitizer\|runtime error:' "$scratch/daemon.log"
tap_done
