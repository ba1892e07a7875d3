#!/bin/sh
# NAME
#	keys.sh
# SUMMARY
#	end-to-end test of sealist key generate | ls | dns | check and
#	dkim sign | verify, against a real DNS server on loopback
# DESCRIPTION
#	Runs the built src/sealist with a temporary configuration (database,
#	keys_dir, dns_nameserver) and prints TAP.  Key records are served by
#	dnsmasq (Debian package dnsmasq-base) on 127.0.0.1, one selector per
#	way a published record can be wrong.  The public keys are checked
#	against what the openssl command derives from the key files, and the
#	signatures against an independent verifier, dkimpy (python3-dkim,
#	python3-nacl for Ed25519), run by Debian's /usr/bin/python3.  A
#	missing tool is a failure, never a skip.
#
#	The harness sets top_builddir and top_srcdir (absolute paths).
. "${top_srcdir:-.}/tests/lib.sh"
SEALIST=$top_builddir/src/sealist
PY=/usr/bin/python3
D=keys.test
K=$scratch/keys

dnsmasq=$(command -v dnsmasq || ls /usr/sbin/dnsmasq 2>/dev/null)
if [ -z "$dnsmasq" ] || ! command -v openssl >/dev/null \
   || ! "$PY" -c 'import dkim, nacl' 2>/dev/null; then
	not_ok "dnsmasq (dnsmasq-base), openssl, and /usr/bin/python3 with dkim and nacl" \
		"(python3-dkim, python3-nacl) are installed"
	tap_done
	exit 1
fi

# conf [NAMESERVER] -- (re)write the configuration file
conf() {
	printf 'database = %s\nkeys_dir = %s\ndns_nameserver = %s\n' \
		"$scratch/sealist.db" "$K" "${1:-}" > "$scratch/sealist.conf"
}
conf
SEALIST_CONF=$scratch/sealist.conf
export SEALIST_CONF

# run ARGS... -- stdout in $scratch/out, stderr in $scratch/err, status in $rc
run() {
	"$SEALIST" "$@" > "$scratch/out" 2> "$scratch/err"
	rc=$?
}
# show -- the last run's output, as diagnostics
show() {
	sed 's/^/  stdout: /' "$scratch/out" | while IFS= read -r l; do diag "$l"; done
	sed 's/^/  stderr: /' "$scratch/err" | while IFS= read -r l; do diag "$l"; done
}
# expect STATUS TEXT WHAT -- the last run exited STATUS and TEXT is in its
# stdout or stderr (TEXT may be empty)
expect() {
	if [ "$rc" -eq "$1" ] && { [ -z "$2" ] || grep -F -q -- "$2" "$scratch/out" "$scratch/err"; }
	then ok "$3"; else not_ok "$3 (exit $rc)"; show; fi
}

# ---- key generate -------------------------------------------------------
run key generate "$D" --selector good
expect 0 "generated rsa 2048-bit key for $D, selector good: $K/$D/good.pem" \
	"key generate makes an RSA-2048 key by default and says where"
check "the key file is mode 0600" [ "$(stat -c %a "$K/$D/good.pem")" = 600 ]
check "keys_dir was created mode 0700" [ "$(stat -c %a "$K")" = 700 ]
check "the domain directory was created mode 0700" [ "$(stat -c %a "$K/$D")" = 700 ]
check "the key file is PEM PKCS#8" [ "$(head -n 1 "$K/$D/good.pem")" = "-----BEGIN PRIVATE KEY-----" ]
check "openssl reads a 2048-bit RSA key" \
	sh -c "openssl pkey -in '$K/$D/good.pem' -noout -text | grep -q 'Private-Key: (2048 bit'"
grep -q "signing: the first rsa key of $D signs at once; publish the record that 'sealist key dns $D --selector good' prints" "$scratch/out"
check "key generate says the first key signs, and what to do next" [ $? -eq 0 ]

sum=$(cksum < "$K/$D/good.pem")
run key generate "$D" --selector GOOD
expect 1 "$D already has a key with selector good" "a second key for a selector is refused"
check "and the key file is unchanged" [ "$(cksum < "$K/$D/good.pem")" = "$sum" ]

printf 'not mine\n' > "$K/$D/stray.pem"
run key generate "$D" --selector stray
expect 1 "already exists; a key file is never overwritten" "an existing file is never overwritten"
check "and keeps its bytes" [ "$(cat "$K/$D/stray.pem")" = "not mine" ]
run key ls "$D"
check "and no key is recorded for it" sh -c "! grep -q ' stray ' '$scratch/out'"

run key generate "$D" --selector weak --bits 512
expect 2 "--bits 512 is too small" "--bits under 1024 is refused (exit 2)"
check "and writes nothing" [ ! -e "$K/$D/weak.pem" ]
run key generate "$D" --selector weak --bits 1023
expect 2 "too small" "--bits 1023 is refused"
run key generate "$D" --selector big --bits 8192
expect 2 "too large" "--bits over 4096 is refused"
run key generate "$D" --selector x --type dsa
expect 2 '--type must be rsa or ed25519, not "dsa"' "an unknown --type is refused (exit 2)"
run key generate "$D" --selector x --type ed25519 --bits 2048
expect 2 "--bits is for RSA keys" "--bits with ed25519 is refused"
run key generate "$D" --selector x --bits many
expect 2 "--bits needs a number" "--bits must be a number"
run key generate bad_domain.test
expect 1 'invalid domain "bad_domain.test"' "a domain with '_' is refused"
run key generate ../etc
expect 1 'invalid domain "../etc"' "a domain that walks out of keys_dir is refused"
run key generate "$D" --selector ../../x
expect 1 'invalid selector' "a selector that walks out of keys_dir is refused"
check "no stray files were made" [ "$(ls "$K" | tr '\n' ' ')" = "$D " ]

run key generate "$D" --selector w1024 --bits 1024
expect 0 "warning: a 1024-bit RSA key is weak" "--bits 1024 works, with a warning"

run key generate "$D" --type ed25519
month=$(date -u +%Y%m)
expect 0 "generated ed25519 256-bit key for $D, selector s$month-ed:" \
	"an Ed25519 key gets the default selector sYYYYMM-ed"
ED=s$month-ed
check "openssl reads an Ed25519 key" \
	sh -c "openssl pkey -in '$K/$D/$ED.pem' -noout -text | grep -q 'ED25519 Private-Key'"
run key generate other.test
expect 0 "selector s$month-rsa:" "an RSA key gets the default selector sYYYYMM-rsa"

# One key per way a published record can be wrong.
for s in diff missing testing sha1 revoked two short unparsable wrongtype; do
	"$SEALIST" key generate "$D" --selector "$s" > /dev/null 2>&1 || not_ok "generate $s"
done

# ---- key ls -------------------------------------------------------------
run key ls
today=$(date -u +%Y-%m-%d)
expect 0 "" "key ls works"
check "key ls: DOMAIN SELECTOR ALGORITHM BITS CREATED PATH signing" \
	grep -q -x "$D good rsa 2048 $today $K/$D/good.pem signing" "$scratch/out"
check "key ls shows the Ed25519 key, signing too (the first of its kind)" \
	grep -q -x "$D $ED ed25519 256 $today $K/$D/$ED.pem signing" "$scratch/out"
check "a later RSA key does not sign" grep -q -x "$D w1024 rsa 1024 $today $K/$D/w1024.pem" "$scratch/out"
check "one signing key per algorithm" [ "$(grep -c ' signing$' "$scratch/out")" -eq 3 ]
check "key ls orders by domain, then selector" \
	[ "$(cut -d' ' -f1,2 "$scratch/out" | tr '\n' ' ')" = \
	  "$D diff $D good $D missing $D revoked $D $ED $D sha1 $D short $D testing $D two $D unparsable $D w1024 $D wrongtype other.test s$month-rsa " ]
run key ls other.test
check "key ls DOMAIN shows only that domain" [ "$(wc -l < "$scratch/out")" -eq 1 ]

# ---- key dns ------------------------------------------------------------
# strings SELECTOR -- the character-strings key dns prints, one per line
strings_of() {
	"$SEALIST" key dns "$D" --selector "$1" | awk -F'"' '{ for (i = 2; i <= NF; i += 2) print $i }'
}
# record_of SELECTOR -- the strings joined: the record DNS hands out
record_of() { strings_of "$1" | tr -d '\n'; }
# p_of SELECTOR -- what its p= must be, derived by openssl from the key file
p_of() {
	case $(openssl pkey -in "$K/$D/$1.pem" -noout -text | head -n 1) in
	*ED25519*) openssl pkey -in "$K/$D/$1.pem" -pubout -outform DER | tail -c 32 | base64 -w0 ;;
	*) openssl pkey -in "$K/$D/$1.pem" -pubout -outform DER | base64 -w0 ;;
	esac
}

run key dns "$D" --selector good
expect 0 "good._domainkey.$D. IN TXT ( \"v=DKIM1; k=rsa; \"" \
	"key dns prints a zone-file TXT record, tags first"
check "the record ends with ' )'" sh -c "tail -n 1 '$scratch/out' | grep -q '\" )\$'"
long=$(strings_of good | awk 'length($0) > 255' | wc -l)
check "every string is at most 255 bytes" [ "$long" -eq 0 ]
check "an RSA-2048 record needs more than one string" [ "$(strings_of good | wc -l)" -ge 3 ]
check "the joined strings are the record of the key (RSA)" \
	[ "$(record_of good)" = "v=DKIM1; k=rsa; p=$(p_of good)" ]
check "the joined strings are the record of the key (Ed25519)" \
	[ "$(record_of "$ED")" = "v=DKIM1; k=ed25519; p=$(p_of "$ED")" ]
run key dns "$D"
check "key dns DOMAIN prints one record per key" [ "$(grep -c ' IN TXT ' "$scratch/out")" -eq 12 ]
run key dns nokeys.test
expect 1 "nokeys.test has no keys" "key dns for a domain without keys fails"
run key dns "$D" --selector nope
expect 1 "$D has no key with selector nope" "key dns for an unknown selector fails"

# ---- a DNS server with the records -------------------------------------
# txt_arg NAME STRING... -- a --txt-record option (commas split strings)
txt_arg() {
	n=$1; shift
	a="--txt-record=$n._domainkey.$D"
	for s in "$@"; do a="$a,$s"; done
	printf '%s' "$a"
}
# strings_arg SELECTOR -- a --txt-record serving that key's own strings,
# split as key dns prints them
strings_arg() {
	printf '%s%s' "--txt-record=$1._domainkey.$D" "$(strings_of "$1" | awk '{ printf ",%s", $0 }')"
}
short_p=$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:512 2>/dev/null \
	| openssl pkey -pubout -outform DER | base64 -w0)

start_dnsmasq() { dnsmasq_start dnsmasq --local=/test/ "$@"; }
check "dnsmasq starts with the key records" start_dnsmasq \
	"$(strings_arg good)" \
	"$(strings_arg "$ED")" \
	"$(strings_arg w1024)" \
	"$(txt_arg diff "$(record_of good)")" \
	"$(txt_arg testing "v=DKIM1; k=rsa; t=y; p=$(p_of testing)")" \
	"$(txt_arg sha1 "v=DKIM1; h=sha1; k=rsa; p=$(p_of sha1)")" \
	"$(txt_arg revoked "v=DKIM1; k=rsa; p=")" \
	"$(txt_arg two "$(record_of two)")" "$(txt_arg two "$(record_of good)")" \
	"$(txt_arg short "v=DKIM1; k=rsa; p=$short_p")" \
	"$(txt_arg unparsable "v=DKIM2; k=rsa; p=$(p_of unparsable)")" \
	"$(txt_arg wrongtype "$(record_of "$ED")")"
conf "127.0.0.1:$port"

# ---- key check ----------------------------------------------------------
run key check "$D" --selector good
expect 0 "good._domainkey.$D: ok (rsa, 2048 bits)" \
	"key check passes for the published key (nameserver from the configuration)"
run key check "$D" --selector "$ED"
expect 0 "$ED._domainkey.$D: ok (ed25519, 256 bits)" "key check passes for an Ed25519 key"
run key check "$D" --selector w1024
expect 0 "warning: $(printf 'w1024._domainkey.%s' "$D"): a 1024-bit RSA key is weak" \
	"a 1024-bit key passes with a warning"

# bad SELECTOR TEXT WHAT -- key check fails (exit 1) with one line saying TEXT
bad() {
	run key check "$D" --selector "$1"
	if [ "$rc" -eq 1 ] && grep -F -q -- "sealist: $1._domainkey.$D: $2" "$scratch/err" \
	   && [ "$(wc -l < "$scratch/err")" -eq 1 ] && [ ! -s "$scratch/out" ]
	then ok "key check: $3"; else not_ok "key check: $3 (exit $rc)"; show; fi
}
bad diff "different key: the published p= is not the public key" "another key is 'different key'"
bad missing "missing: no such name in DNS (NXDOMAIN)" "no record is 'missing'"
bad testing "the record has t=y (testing)" "t=y fails"
bad sha1 "the record's h= does not list sha256" "h=sha1 fails"
bad revoked "revoked: the record has an empty p=" "an empty p= is 'revoked'"
bad two "2 TXT records" "two records fail"
bad short "key too short: the published RSA key has 512 bits" "a 512-bit key is 'too short'"
bad unparsable "unparsable record:" "a record that does not parse is 'unparsable'"
bad wrongtype "different key: the record is k=ed25519, our key is rsa" "another key type fails"
run key check "$D" --selector diff
check "the failure says what to publish" \
	grep -q "publish the record that 'sealist key dns $D --selector diff' prints" "$scratch/err"

run key check "$D" --selector testing --allow-testing
expect 0 "has t=y (testing)" "t=y passes with --allow-testing, with a warning"
run key check "$D" --selector good --nameserver 127.0.0.1:1
expect 1 "DNS lookup failed, a temporary failure" "no DNS server is a temporary failure"
run key check "$D"
check "key check DOMAIN checks every key and fails if one does" [ "$rc" -eq 1 ]
check "and reports the good ones as ok" [ "$(grep -c ': ok (' "$scratch/out")" -eq 3 ]
check "and each bad one on stderr" [ "$(grep -c "^sealist: [a-z0-9-]*\._domainkey\.$D: " "$scratch/err")" -eq 9 ]

# ---- key use --------------------------------------------------------------
run key use "$D" missing
expect 1 "not switching to missing: its record is not published correctly" \
	"key use refuses a key whose record is missing"
run key ls "$D"
check "and good still signs" grep -q "^$D good .* signing\$" "$scratch/out"
run key use "$D" w1024
expect 0 "signing with w1024 for $D from now on" "key use switches to a published key"
run key ls "$D"
check "w1024 signs now" grep -q "^$D w1024 .* signing\$" "$scratch/out"
check "good does not any more" grep -q -x "$D good rsa 2048 $today $K/$D/good.pem" "$scratch/out"
check "the Ed25519 key is untouched" grep -q "^$D $ED .* signing\$" "$scratch/out"
run key use "$D" missing --force
expect 0 "signing with missing" "--force switches without DNS"
run key use "$D" nosuch --force
expect 1 "has no key with selector nosuch" "key use of an unknown selector fails"
run key use "$D" good
expect 0 "signing with good" "and back"

# ---- dkim sign and verify ------------------------------------------------
cat > "$scratch/msg" <<'EOF'
From: Alice Example <alice@keys.test>
To: dev@keys.test
Subject: a test post
 folded over two lines
Date: Fri, 27 Nov 2026 04:00:00 +0000
Message-ID: <1@keys.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hello,	with a tab and trailing spaces   
and a second line.


EOF
size=$(wc -c < "$scratch/msg")

# sign OUT ARGS... -- dkim sign of $scratch/msg into OUT
sign() {
	out=$1; shift
	"$SEALIST" dkim sign --domain "$D" "$@" < "$scratch/msg" > "$out" 2> "$scratch/err"
	rc=$?
}
# one_field FILE -- FILE is $scratch/msg with exactly one field added at the top
one_field() {
	total=$(wc -c < "$1")
	tail -c "$size" "$1" | cmp -s - "$scratch/msg" || return 1
	head -c $((total - size)) "$1" > "$scratch/added"
	[ "$(grep -c '^[^ 	]' "$scratch/added")" -eq 1 ] && head -n 1 "$scratch/added" | grep -q '^DKIM-Signature: '
}

sign "$scratch/rsa.eml" --selector good --key "$K/$D/good.pem" --timestamp 1795752000
expect 0 "" "dkim sign with an RSA key"
check "the output is the input with one DKIM-Signature field added at the top" one_field "$scratch/rsa.eml"
check "and the field uses the message's line ends (LF)" \
	sh -c "[ -s '$scratch/added' ] && ! grep -q \"\$(printf '\\r')\" '$scratch/added'"
run dkim verify < "$scratch/rsa.eml"
expect 0 "d=$D s=good a=rsa-sha256 result=pass" "dkim verify passes it (key from dnsmasq)"
check "one line per signature" [ "$(wc -l < "$scratch/out")" -eq 1 ]

sign "$scratch/ed.eml" --selector "$ED" --key "$K/$D/$ED.pem" --algo ed25519 --canon simple/simple
expect 0 "" "dkim sign with an Ed25519 key, simple/simple"
check "again exactly one field added" one_field "$scratch/ed.eml"
run dkim verify --nameserver "127.0.0.1:$port" < "$scratch/ed.eml"
expect 0 "d=$D s=$ED a=ed25519-sha256 result=pass" "dkim verify passes it (--nameserver)"

"$SEALIST" dkim sign --domain "$D" --selector "$ED" --key "$K/$D/$ED.pem" \
	< "$scratch/rsa.eml" > "$scratch/both.eml" 2> "$scratch/err"
run dkim verify < "$scratch/both.eml"
check "two signatures: two lines, both pass, exit 0" \
	[ "$rc" -eq 0 -a "$(grep -c 'result=pass' "$scratch/out")" -eq 2 -a "$(wc -l < "$scratch/out")" -eq 2 ]

# CRLF line ends: the added field follows them.
sed 's/$/\r/' "$scratch/msg" > "$scratch/crlf"
"$SEALIST" dkim sign --domain "$D" --selector good --key "$K/$D/good.pem" \
	< "$scratch/crlf" > "$scratch/crlf.eml" 2> "$scratch/err"
crlf_added=$(( $(wc -c < "$scratch/crlf.eml") - $(wc -c < "$scratch/crlf") ))
check "with CRLF input, the input is unchanged after the added field" \
	sh -c "tail -c $(wc -c < "$scratch/crlf") '$scratch/crlf.eml' | cmp -s - '$scratch/crlf'"
check "and every line of the added field ends in CRLF" \
	sh -c "head -c $crlf_added '$scratch/crlf.eml' | awk '!/\r\$/ { bad = 1 } END { exit bad }'"
run dkim verify < "$scratch/crlf.eml"
expect 0 "result=pass" "the CRLF message verifies"

# A one-byte change in the body.
sed 's/second line/second linE/' "$scratch/rsa.eml" > "$scratch/body.eml"
run dkim verify < "$scratch/body.eml"
expect 1 "d=$D s=good a=rsa-sha256 result=fail" "a 1-byte body change fails verification"
sed 's/^Subject: a test post/Subject: a test pust/' "$scratch/ed.eml" > "$scratch/subj.eml"
run dkim verify < "$scratch/subj.eml"
expect 1 "result=fail" "a changed signed header fails verification"
run dkim verify < "$scratch/msg"
expect 1 "no signature" "a message without signatures: 'no signature', exit 1"
sign "$scratch/x.eml" --selector missing --key "$K/$D/missing.pem"
run dkim verify < "$scratch/x.eml"
expect 1 "d=$D s=missing a=rsa-sha256 result=permerror" "a signature whose key is not in DNS is a permerror"
sign "$scratch/x.eml" --selector testing --key "$K/$D/testing.pem"
run dkim verify < "$scratch/x.eml"
expect 0 "testing" "a key with t=y is shown as testing"

sign "$scratch/x.eml" --selector good --key "$K/$D/good.pem" --algo ed25519
expect 1 "is an rsa key, not ed25519" "--algo must match the key"
sign "$scratch/x.eml" --selector good
expect 2 "--domain, --selector and --key are required" "--key is required"
sign "$scratch/x.eml" --selector good --key "$K/$D/good.pem" --canon loose
expect 2 "--canon must be" "a bad --canon is refused"
sign "$scratch/x.eml" --selector good --key "$scratch/nonexistent.pem"
expect 1 "cannot load the key" "a missing key file is an error"
{ printf 'X-Big: '; head -c 1100000 /dev/zero | tr '\0' a; printf '\nFrom: a@keys.test\n\nbody\n'; } > "$scratch/big.eml"
"$SEALIST" dkim sign --domain "$D" --selector good --key "$K/$D/good.pem" \
	< "$scratch/big.eml" > "$scratch/out" 2> "$scratch/err"
rc=$?
expect 1 "cannot parse the message on standard input" "a message the parser refuses is an error"
check "and nothing is written" [ ! -s "$scratch/out" ]

# ---- dkimpy, an independent verifier and signer ---------------------------
# Records for dkimpy: NAME<TAB>RECORD lines.
for s in good "$ED"; do printf '%s._domainkey.%s\t%s\n' "$s" "$D" "$(record_of "$s")"; done \
	> "$scratch/records"
cat > "$scratch/verify.py" <<'EOF'
import sys, dkim
records = {}
for line in open(sys.argv[1], 'rb'):
    name, txt = line.rstrip(b'\n').split(b'\t', 1)
    records[name] = txt
def dnsfunc(name, timeout=5):
    return records.get(name.rstrip(b'.'))
msg = open(sys.argv[2], 'rb').read()
d = dkim.DKIM(msg)
n = len([h for h in d.headers if h[0].lower() == b'dkim-signature'])
try:
    ok = n > 0 and all(d.verify(idx=i, dnsfunc=dnsfunc) for i in range(n))
except dkim.DKIMException as e:
    print("dkimpy: %s" % e, file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
EOF
check "dkimpy verifies sealist's RSA signature" "$PY" "$scratch/verify.py" "$scratch/records" "$scratch/rsa.eml"
check "dkimpy verifies sealist's Ed25519 signature" "$PY" "$scratch/verify.py" "$scratch/records" "$scratch/ed.eml"
check "dkimpy verifies both signatures of one message" "$PY" "$scratch/verify.py" "$scratch/records" "$scratch/both.eml"
check "dkimpy verifies sealist's signature of a CRLF message" "$PY" "$scratch/verify.py" "$scratch/records" "$scratch/crlf.eml"
"$PY" "$scratch/verify.py" "$scratch/records" "$scratch/body.eml" 2> "$scratch/err"
pyrc=$?
check "dkimpy rejects the changed body (body hash mismatch)" \
	sh -c "[ $pyrc -eq 1 ] && grep -q 'body hash mismatch' '$scratch/err'"

"$PY" -c '
import sys, dkim
msg = open(sys.argv[1], "rb").read()
key = open(sys.argv[2], "rb").read()
sig = dkim.sign(msg, b"good", sys.argv[3].encode(), key,
                include_headers=[b"from", b"to", b"subject", b"date"])
sys.stdout.buffer.write(sig + msg)
' "$scratch/msg" "$K/$D/good.pem" "$D" > "$scratch/py.eml"
run dkim verify < "$scratch/py.eml"
expect 0 "d=$D s=good a=rsa-sha256 result=pass" "sealist verifies dkimpy's RSA signature"

# l=: dkimpy signs the first part of the body only; text added after it
# is outside the signature, and verify says how much.
"$PY" -c '
import sys, dkim
msg = open(sys.argv[1], "rb").read()
key = open(sys.argv[2], "rb").read()
sig = dkim.sign(msg, b"good", sys.argv[3].encode(), key, length=True,
                include_headers=[b"from", b"to", b"subject"])
sys.stdout.buffer.write(sig + msg + b"-- \nappended by a list\n")
' "$scratch/msg" "$K/$D/good.pem" "$D" > "$scratch/l.eml"
run dkim verify < "$scratch/l.eml"
expect 0 "result=pass l=" "a signature with l= passes and shows l="
check "l= shows the signed and the total canonical body length" \
	grep -q "result=pass l=[0-9]* of [0-9]*\$" "$scratch/out"
check "and the total is larger than the signed part" \
	sh -c "awk '{ for (i = 1; i < NF; i++) if (\$i ~ /^l=/) exit !(substr(\$i, 3) + 0 < \$(i + 2) + 0) }' '$scratch/out'"

# ---- help -----------------------------------------------------------------
for cmd in "key generate" "key ls" "key dns" "key check" "key use" "dkim sign" "dkim verify"; do
	# shellcheck disable=SC2086
	run $cmd --help
	expect 0 "usage: sealist [-c CONF] $cmd" "sealist $cmd --help"
done

tap_done
