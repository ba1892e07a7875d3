#!/bin/sh
# deliver.sh -- SMTP delivery (src/deliver.c, over libcurl) end to end,
# through tests/unit/deliver_tool, against tests/tools/smtp_sink.py run
# by Debian's /usr/bin/python3.  Two sinks: A in clear with a script of
# per-recipient misbehaviour, B with STARTTLS (a self-signed certificate
# made here with openssl) and AUTH for one user.
#
# Covers: byte-exact delivery (dot-stuffing done by libcurl, undone by
# the sink); per-recipient RCPT replies in one transaction; 4xx then
# accept; DATA 554; a drop mid-DATA; 421 at RCPT; connection reuse; the
# final "." not held back by Nagle; STARTTLS required/absent, certificate
# checks, AUTH right and wrong; DMARC-caused 5.7.26 and 5.7.1 replies.
. "${top_srcdir:-.}/tests/lib.sh"
tool="$top_builddir/tests/unit/deliver_tool"
# DELIVER_TOOL_WRAPPER (e.g. "valgrind -q --error-exitcode=99
# --leak-check=full") runs every send under a checker by hand.
[ -n "${DELIVER_TOOL_WRAPPER:-}" ] && tool="$DELIVER_TOOL_WRAPPER $tool"
python=/usr/bin/python3
[ -x "$python" ] || python=python3
sink="$top_srcdir/tests/tools/smtp_sink.py"

# start_sink NAME ARGS... -- a sink storing into $scratch/NAME; sets $port.
start_sink() {
	name=$1; shift
	mkdir -p "$scratch/$name"
	"$python" "$sink" --dir "$scratch/$name" "$@" \
		> "$scratch/$name.out" 2> "$scratch/$name.err" &
	at_exit "kill $! 2>/dev/null"
	wait_for "$scratch/$name.out" '^port ' 10 || return 1
	port=$(awk '/^port /{print $2}' "$scratch/$name.out")
}

# send OUT ARGS... -- run the tool, output in $scratch/OUT.
send() {
	out=$scratch/$1; shift
	$tool "$@" > "$out" 2> "$out.err" || { sed 's/^/# /' "$out.err"; return 1; }
}

# rcpt_is OUT ADDR "OUTCOME CODE STATUS CLASS" -- that recipient's line
# starts so.
rcpt_is() {
	grep -q "^$2 $3" "$scratch/$1" && return 0
	sed 's/^/# got: /' "$scratch/$1"; return 1
}

# conns NAME -- connections the sink has accepted so far.
conns() { grep -c '^conn ' "$scratch/$1.out"; }
# msgs NAME -- messages it has stored so far.
msgs() { grep -c '^msg ' "$scratch/$1.out"; }

cat > "$scratch/rules" <<'EOT'
r550@x.test rcpt always 550 5.1.1 no such user
r451@x.test rcpt always 451 4.7.1 try again later
grey@x.test rcpt once 451 4.7.1 greylisted, try later
full@x.test rcpt always 452 4.2.2 mailbox full
dmarc@x.test rcpt always 550 5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy
d554@x.test data 554 5.6.0 message refused
drop@x.test drop-data 60
r421@x.test rcpt always 421 4.3.2 shutting down
eod@x.test eod 550 5.7.1 message rejected by policy: DMARC failure
EOT

# A message that needs dot-stuffing, with 8-bit text and trailing space.
printf 'From: a@example.org\r\nSubject: t\r\n\r\n.\r\n..\r\n.x\r\ntrailing  \r\n\303\251t\303\251\r\nend\r\n' \
	> "$scratch/m.eml"

start_sink A --script "$scratch/rules" || { not_ok "sink A starts"; tap_done; exit 1; }
ok "sink A starts"
relay=smtp://127.0.0.1:$port
A=$scratch/A

# -- plain delivery, byte-exact -------------------------------------------
send plain -r "$relay" -s off -H sender.test -f list-bounces@l.test -m "$scratch/m.eml" ok@x.test
check "plain: delivered with 250" rcpt_is plain ok@x.test "delivered 250 2.0.0 other"
check "plain: the sink has the exact bytes (dot-stuffing round trip)" cmp -s "$scratch/m.eml" "$A/1.eml"
check "plain: envelope sender and recipient" \
	[ "$(cat "$A/1.env")" = "from list-bounces@l.test
rcpt ok@x.test" ]

# -- one transaction, mixed RCPT replies ----------------------------------
send mixed -r "$relay" -s off -f l@l.test -m "$scratch/m.eml" \
	ok@x.test r550@x.test r451@x.test full@x.test ok2@x.test
check "mixed: 250 recipient delivered" rcpt_is mixed ok@x.test "delivered 250 2.0.0 other"
check "mixed: 550 recipient permfail, hard" rcpt_is mixed r550@x.test "permfail 550 5.1.1 hard"
check "mixed: 451 recipient tempfail" rcpt_is mixed r451@x.test "tempfail 451 4.7.1 soft"
check "mixed: 452 recipient tempfail" rcpt_is mixed full@x.test "tempfail 452 4.2.2 soft"
check "mixed: recipient after the refusals delivered" rcpt_is mixed ok2@x.test "delivered 250"
check "mixed: the transaction itself did not fail" grep -q '^txn 1 failure none' "$scratch/mixed"
check "mixed: one message with only the accepted recipients" \
	[ "$(grep rcpt "$A/2.env" | tr '\n' ' ')" = "rcpt ok@x.test rcpt ok2@x.test " ]

# -- 4xx, then accepted on the next attempt ---------------------------------
send grey1 -r "$relay" -s off -m "$scratch/m.eml" grey@x.test
send grey2 -r "$relay" -s off -m "$scratch/m.eml" grey@x.test
check "greylist: first attempt tempfail 451" rcpt_is grey1 grey@x.test "tempfail 451 4.7.1"
check "greylist: second attempt delivered" rcpt_is grey2 grey@x.test "delivered 250"

# -- DATA answered 554 -------------------------------------------------------
n0=$(msgs A)
send d554 -r "$relay" -s off -m "$scratch/m.eml" ok@x.test d554@x.test
check "DATA 554: first recipient permfail 554" rcpt_is d554 ok@x.test "permfail 554 5.6.0 hard"
check "DATA 554: second recipient permfail 554" rcpt_is d554 d554@x.test "permfail 554 5.6.0 hard"
check "DATA 554: failure reply" grep -q '^txn 1 failure reply' "$scratch/d554"

# -- connection dropped mid-DATA --------------------------------------------
send drop -r "$relay" -s off -m "$scratch/m.eml" ok@x.test drop@x.test r550@x.test
check "drop mid-DATA: accepted recipients tempfail" \
	sh -c "grep -q '^ok@x.test tempfail 0 ' '$scratch/drop' && grep -q '^drop@x.test tempfail 0 ' '$scratch/drop'"
check "drop mid-DATA: the RCPT 550 still stands" rcpt_is drop r550@x.test "permfail 550 5.1.1"
check "drop mid-DATA: failure lost" grep -q '^txn 1 failure lost' "$scratch/drop"
check "DATA 554 and drop: nothing stored" [ "$(msgs A)" -eq "$n0" ]

# -- 421 at RCPT: that recipient and the rest tempfail; next try reconnects --
send r421 -r "$relay" -s off -n 2 -m "$scratch/m.eml" ok@x.test r421@x.test ok2@x.test
check "421 at RCPT: that recipient tempfail 421" rcpt_is r421 r421@x.test "tempfail 421 4.3.2"
check "421 at RCPT: later recipient tempfail, no reply" rcpt_is r421 ok2@x.test "tempfail 0 - soft"
check "421 at RCPT: the next transaction opens a new connection" \
	grep -q '^txn 2 failure lost newconn 1' "$scratch/r421"

# -- DMARC-caused refusals ---------------------------------------------------
send dmarc -r "$relay" -s off -m "$scratch/m.eml" dmarc@x.test
check "RCPT 550 5.7.26: permfail, class dmarc" rcpt_is dmarc dmarc@x.test "permfail 550 5.7.26 dmarc"
send eod -r "$relay" -s off -m "$scratch/m.eml" eod@x.test
check "end-of-data 550 5.7.1 DMARC text: permfail, class dmarc" rcpt_is eod eod@x.test "permfail 550 5.7.1 dmarc"

# -- connection reuse and no Nagle stall --------------------------------------
c0=$(conns A)
send reuse -r "$relay" -s off -n 5 -m "$scratch/m.eml" ok@x.test
check "reuse: 5 transactions delivered" [ "$(grep -c '^ok@x.test delivered' "$scratch/reuse")" -eq 5 ]
check "reuse: 5 transactions on 1 connection" [ "$(( $(conns A) - c0 ))" -eq 1 ]
check "reuse: the tool saw one new connection" [ "$(grep -c 'newconn 1' "$scratch/reuse")" -eq 1 ]
send verp -r "$relay" -s off -1 -n 2 -m "$scratch/m.eml" a@x.test b@x.test c@x.test
check "one recipient per transaction: 6 delivered" [ "$(grep -c ' delivered 250' "$scratch/verp")" -eq 6 ]
# Without TCP_NODELAY each "." waits for the sink's delayed ACK, ~40 ms.
send nagle -r "$relay" -s off -n 10 -m "$scratch/m.eml" ok@x.test
total=$(awk '$1 == "txn" && $6 == 0 { t += $8; n++ } END { print (n == 9 ? t : 99999) }' "$scratch/nagle")
check "no Nagle stall: 9 reused transactions in ${total} ms (< 150)" [ "$total" -lt 150 ]

# -- null sender --------------------------------------------------------------
send null -r "$relay" -s off -f "" -m "$scratch/m.eml" ok@x.test
last=$(msgs A)
check "null sender: MAIL FROM:<>" [ "$(head -1 "$A/$last.env")" = "from " ]

# -- transaction-level failures --------------------------------------------------
send tlsreq -r "$relay" -s required -m "$scratch/m.eml" ok@x.test
check "STARTTLS required, not offered: tempfail" rcpt_is tlsreq ok@x.test "tempfail 0 - soft"
check "STARTTLS required, not offered: failure tls, says STARTTLS" \
	grep -q '^txn 1 failure tls .*STARTTLS required' "$scratch/tlsreq"
send refused -r smtp://127.0.0.1:1 -s off -m "$scratch/m.eml" ok@x.test
check "connection refused: failure connect, tempfail" \
	sh -c "grep -q '^txn 1 failure connect' '$scratch/refused' && grep -q '^ok@x.test tempfail' '$scratch/refused'"
check_fails "config: AUTH without TLS refused" \
	sh -c '$0 "$@" 2>/dev/null' "$tool" -r "$relay" -s optional -u u -p p -m "$scratch/m.eml" ok@x.test
check_fails "config: not an smtp URL refused" \
	sh -c '$0 "$@" 2>/dev/null' "$tool" -r "http://127.0.0.1:$port" -m "$scratch/m.eml" ok@x.test
check_fails "config: URL with a path refused" \
	sh -c '$0 "$@" 2>/dev/null' "$tool" -r "$relay/x" -m "$scratch/m.eml" ok@x.test
send badrcpt -r "$relay" -s off -m "$scratch/m.eml" "a@x.test>
RSET"
check "recipient with CR/LF refused locally" grep -q '^txn 1 failure local' "$scratch/badrcpt"

# -- sink B: STARTTLS and AUTH --------------------------------------------------
if openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$scratch/key.pem" \
	-out "$scratch/cert.pem" 2>/dev/null; then
	ok "self-signed certificate made"
else
	not_ok "self-signed certificate made"
fi
start_sink B --tls "$scratch/cert.pem" "$scratch/key.pem" --auth "list:s3cret pw" \
	|| not_ok "sink B starts"
trelay=smtp://127.0.0.1:$port
B=$scratch/B

send tls -r "$trelay" -s required -u list -p "s3cret pw" -c "$scratch/cert.pem" -n 2 -m "$scratch/m.eml" ok@x.test
check "STARTTLS + AUTH, CA file: delivered" rcpt_is tls ok@x.test "delivered 250"
check "STARTTLS + AUTH: byte-exact" cmp -s "$scratch/m.eml" "$B/1.eml"
check "STARTTLS + AUTH: 2 transactions on 1 connection" [ "$(conns B)" -eq 1 ]
send badpw -r "$trelay" -s required -u list -p wrong -c "$scratch/cert.pem" -m "$scratch/m.eml" ok@x.test
check "wrong password: failure auth" grep -q '^txn 1 failure auth .*AUTH refused' "$scratch/badpw"
check "wrong password: recipient tempfail" rcpt_is badpw ok@x.test "tempfail 0 - soft"
send noca -r "$trelay" -s required -u list -p "s3cret pw" -m "$scratch/m.eml" ok@x.test
check "self-signed without CA file: failure tls (certificates checked)" \
	grep -q '^txn 1 failure tls' "$scratch/noca"
send noverify -r "$trelay" -s required -u list -p "s3cret pw" -k -m "$scratch/m.eml" ok@x.test
check "tls_verify 0: delivered" rcpt_is noverify ok@x.test "delivered 250"
send noauth -r "$trelay" -s required -c "$scratch/cert.pem" -m "$scratch/m.eml" ok@x.test
check "no AUTH configured, relay requires it: MAIL 530 tempfail" \
	rcpt_is noauth ok@x.test "tempfail 0 - soft relay refused MAIL"
check "sink B stored exactly 3 messages" [ "$(msgs B)" -eq 3 ]

tap_done
