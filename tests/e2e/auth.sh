#!/bin/sh
# auth.sh -- "sealist auth check" and "sealist arc seal|verify" end to end:
# the real CLI, DNS from dnsmasq on loopback (DKIM keys, SPF, DMARC, ADSP),
# messages signed by sealist's own "dkim sign" and by dkimpy.  Verdicts are
# compared with authheaders (tests/oracle/auth_oracle.py: dkimpy, pyspf and
# authheaders' DMARC over the same server); seals are validated by dkimpy's
# ARC verifier (tests/oracle/arc_dkimpy.py).  Then the hostile inputs the
# issue names: a forged Authentication-Results for our authserv-id, broken
# ARC sets, a 2 MB header, an SPF include loop, and keys on a server that
# never answers -- each must give a well-defined verdict in bounded time.
# A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3
oracle="$top_srcdir/tests/oracle/auth_oracle.py"
arc_oracle="$top_srcdir/tests/oracle/arc_dkimpy.py"
zone=$scratch/zone.txt		# 'name TXT "value"' for dnsmasq_args.py
tabs=$scratch/records.tab	# 'name<TAB>value' for arc_dkimpy.py

if ! command -v openssl >/dev/null || ! $py -c 'import authheaders, authres, dkim, spf, dns.resolver' 2>/dev/null; then
	not_ok "openssl and /usr/bin/python3 with authheaders, authres, dkim, spf and dnspython are installed"
	tap_done
	exit 1
fi

# record NAME VALUE -- one TXT record in both formats
record() {
	printf '%s TXT "%s"\n' "$1" "$2" >>"$zone"
	printf '%s\t%s\n' "$1" "$2" >>"$tabs"
}
# key FILE TYPE DOMAIN SELECTOR -- a key and its DKIM record
key() {
	p=$(dkim_keygen "$scratch/$1.pem" "$2") || return 1
	record "$4._domainkey.$3" "v=DKIM1; k=$2; p=$p"
}
: >"$zone"; : >"$tabs"
check "author key (RSA, author.example)" key author rsa author.example s1
check "list key (RSA, list.example)" key list rsa list.example lk
check "second sealer key (RSA, relay.example)" key relay rsa relay.example rk
check "list Ed25519 key (list.example)" key listed ed25519 list.example ek
record author.example "v=spf1 ip4:192.0.2.0/24 -all"
record _dmarc.author.example "v=DMARC1; p=reject; adkim=r; aspf=r"
record other.example "v=spf1 -all"
record _dmarc.other.example "v=DMARC1; p=quarantine"
record _adsp._domainkey.legacy.example "dkim=discardable"
record legacy.example "v=spf1 -all"
record loop.example "v=spf1 include:loop2.example -all"
record loop2.example "v=spf1 include:loop.example -all"

check "dnsmasq serves the zone" dnsmasq_zone auth "$zone" --local=/example/ \
	--address=/legacy.example/192.0.2.99
ns=127.0.0.1:$port

# The configuration gives a trusted upstream id; the rest is on the command line.
printf 'trusted_authserv_ids = mx.upstream.example\n' >"$scratch/sealist.conf"
auth() { "$sealist" -c "$scratch/sealist.conf" auth check --nameserver "$ns" \
	--authserv-id lists.test "$@"; }

printf '%s\r\n' "From: Alice <alice@author.example>" "To: list@list.example" \
	"Subject: a post" "Date: Thu, 26 Nov 2026 10:00:00 +0000" \
	"Message-ID: <post-1@author.example>" "MIME-Version: 1.0" \
	"Content-Type: text/plain" "" "Hello, list." >"$scratch/post.eml"
check "sealist dkim sign signs the post as author.example" sh -c \
	"\"$sealist\" dkim sign --domain author.example --selector s1 \
	 --key \"$scratch/author.pem\" <\"$scratch/post.eml\" >\"$scratch/signed.eml\""
sed 's/Hello, list\./Hello, changed list./' "$scratch/signed.eml" >"$scratch/changed.eml"

# unfold FILE -- header folding undone, blanks squeezed (for grep)
unfold() { tr '\r\n\t' '   ' <"$1" | tr -s ' '; }
# has FILE PATTERN -- PATTERN in FILE once unfolded
has() { unfold "$1" | grep -q -- "$2"; }
# method_result OUT METHOD -- the first result word of METHOD in our lines
method_result() { sed -n "s/^$2: \([a-z]*\).*/\1/p" "$1" | head -n 1; }
# agree NAME FILE IP MAILFROM HELO DKIM SPF DMARC -- ours and authheaders
agree() {
	name=$1 file=$2 ip=$3 mf=$4 helo=$5
	auth --client-ip "$ip" --mail-from "$mf" --helo "$helo" \
		<"$scratch/$file" >"$scratch/$name.out" 2>&1
	$py "$oracle" "$port" "$ip" "$mf" "$helo" "$scratch/$file" >"$scratch/$name.oracle" 2>&1
	for m in dkim spf dmarc; do
		case $m in dkim) want=$6 ;; spf) want=$7 ;; dmarc) want=$8 ;; esac
		o=$(method_result "$scratch/$name.out" $m)
		a=$(sed -n "s/^$m=//p" "$scratch/$name.oracle")
		if [ "$o" = "$want" ] && [ "$a" = "$want" ]; then
			ok "$name: $m=$want (sealist and authheaders)"
		else
			not_ok "$name: $m: sealist $o, authheaders $a, want $want"
			sed 's/^/#   /' "$scratch/$name.out" "$scratch/$name.oracle"
		fi
	done
}
agree aligned signed.eml 192.0.2.10 bounce@author.example mx.author.example pass pass pass
agree spf-only changed.eml 192.0.2.10 bounce@author.example mx.author.example fail pass pass
agree forged-ip changed.eml 198.51.100.7 bounce@author.example mx.evil.example fail fail fail
agree dkim-only signed.eml 198.51.100.7 bounce@other.example mx.evil.example pass fail pass

out=$scratch/aligned.out
check "the field comes first, with our authserv-id" sh -c \
	"head -n 1 \"$out\" | grep -q '^Authentication-Results: lists.test;'"
check "dkim result names header.d, header.s and header.b" has "$out" 'dkim=pass header.d=author.example header.s=s1 header.a=rsa-sha256 header.b='
check "spf result names smtp.mailfrom and smtp.helo" has "$out" 'spf=pass smtp.mailfrom=bounce@author.example smtp.helo=mx.author.example'
check "dmarc result names header.from and policy.dmarc" has "$out" 'dmarc=pass (p=reject dis=none) header.from=author.example policy.dmarc=none'
check "arc=none with smtp.remote-ip" has "$out" 'arc=none smtp.remote-ip=192.0.2.10'
check "dmarc line: record at the author, both aligned" \
	grep -q '^dmarc: pass header.from=author.example record=author .* p=reject .*aligned=dkim+spf' "$out"
check "no ADSP lookup where DMARC applies" sh -c "! grep -q '^dkim-adsp' \"$out\""
out=$scratch/forged-ip.out
check "failing post: disposition reject, nothing aligned" \
	grep -q '^dmarc: fail header.from=author.example .*policy=reject disposition=reject aligned=none' "$out"
check "failing post: body hash mismatch named" grep -q '^dkim: fail d=author.example .*reason="body hash mismatch"' "$out"

# The A-R field is well-formed: authheaders' own parser reads it back.
check "authres (python3-authres) parses our field" sh -c \
	"sed -n '1,/^dkim:/p' \"$scratch/aligned.out\" | sed '\$d' | $py -c '
import sys, authres
v = sys.stdin.read().split(\":\", 1)[1]
h = authres.AuthenticationResultsHeader.parse_value(v)
assert h.authserv_id == \"lists.test\"
assert [r.method for r in h.results] == [\"dkim\", \"spf\", \"dmarc\", \"arc\"], h.results
'"

# ADSP: no DMARC record, a discardable practice, no author signature.
printf '%s\r\n' "From: Bob <bob@legacy.example>" "To: list@list.example" \
	"Subject: legacy" "" "old school" >"$scratch/legacy.eml"
auth --client-ip 198.51.100.7 --mail-from bob@legacy.example <"$scratch/legacy.eml" >"$scratch/legacy.out" 2>&1
check "ADSP discardable and unsigned: dkim-adsp=discard" grep -q '^dkim-adsp: discard$' "$scratch/legacy.out"
check "ADSP result in the field with header.from" has "$scratch/legacy.out" 'dkim-adsp=discard header.from=legacy.example'
check "no DMARC record: dmarc=none" grep -q '^dmarc: none header.from=legacy.example record=none' "$scratch/legacy.out"

# Several author domains (RFC 9989 11.5): each evaluated, the strictest failing one decides.
printf '%s\r\n' "From: alice@author.example, carol@other.example" "To: list@list.example" \
	"Subject: two authors" "" "hi" >"$scratch/two.eml"
auth --client-ip 198.51.100.7 --mail-from x@nowhere.example <"$scratch/two.eml" >"$scratch/two.out" 2>&1
check "two author domains: two dmarc lines" test "$(grep -c '^dmarc: fail' "$scratch/two.out")" -eq 2
check "the reject domain decides" grep -q '^dmarc: fail header.from=author.example .*disposition=reject .*decisive=y' "$scratch/two.out"
check "from line says multiple-author-domains" grep -q '^from: multiple-author-domains' "$scratch/two.out"

# Trusted upstream SPF when there is no client address.
{ printf '%s\r\n' "Authentication-Results: mx.upstream.example; spf=pass smtp.mailfrom=bounce@author.example"
  cat "$scratch/changed.eml"; } >"$scratch/upstream.eml"
auth <"$scratch/upstream.eml" >"$scratch/upstream.out" 2>&1
check "trusted upstream spf=pass is used" grep -q '^spf: pass smtp.mailfrom=bounce@author.example domain=author.example source=trusted upstream=mx.upstream.example' "$scratch/upstream.out"
check "and aligns for DMARC" grep -q '^dmarc: pass .*aligned=spf' "$scratch/upstream.out"
sed 's/mx.upstream.example/mx.stranger.example/' "$scratch/upstream.eml" >"$scratch/stranger.eml"
auth <"$scratch/stranger.eml" >"$scratch/stranger.out" 2>&1
check "an untrusted upstream spf=pass is not" grep -q '^spf: none source=not-checked' "$scratch/stranger.out"
check "so DMARC fails" grep -q '^dmarc: fail header.from=author.example' "$scratch/stranger.out"

# A forged Authentication-Results for our authserv-id changes nothing.
{ printf '%s\r\n' "Authentication-Results: lists.test; dkim=pass header.d=author.example; dmarc=pass header.from=author.example"
  cat "$scratch/changed.eml"; } >"$scratch/forged.eml"
auth --client-ip 198.51.100.7 --mail-from bounce@author.example <"$scratch/forged.eml" >"$scratch/forged.out" 2>&1
check "forged field counted" grep -q '^authres: 1 field claiming our authserv-id' "$scratch/forged.out"
check "and ignored: dmarc still fails" grep -q '^dmarc: fail header.from=author.example' "$scratch/forged.out"
printf '%s\r\n' "Authentication-Results: lists.test (comment; spf=pass" | cat - "$scratch/changed.eml" >"$scratch/forged2.eml"
auth --client-ip 198.51.100.7 <"$scratch/forged2.eml" >"$scratch/forged2.out" 2>&1
check "a broken field naming us counts as forged too" grep -q '^authres: 1 field' "$scratch/forged2.out"

# ARC: seal with sealist, validate with dkimpy; a chain of two sealers.
seal() { "$sealist" -c "$scratch/sealist.conf" arc seal --nameserver "$ns" --authserv-id "$1" \
	--domain "$1" --selector "$2" --key "$scratch/$3.pem" --client-ip 192.0.2.10 \
	--mail-from bounce@author.example <"$scratch/$4" >"$scratch/$5" 2>"$scratch/$5.err"; }
dkimpy_cv() { $py "$arc_oracle" "$tabs" "$scratch/$1" | cut -f2; }
check "arc seal by list.example" seal list.example lk list signed.eml sealed1.eml
check "one ARC set, cv=none" grep -q '^ARC-Seal: i=1; a=rsa-sha256; cv=none;' "$scratch/sealed1.eml"
check "the AAR carries our verdict" has "$scratch/sealed1.eml" 'ARC-Authentication-Results: i=1; list.example; dkim=pass header.d=author.example.*spf=pass.*dmarc=pass.*arc=none'
check "dkimpy: one seal validates" test "$(dkimpy_cv sealed1.eml)" = cv=pass
check "arc verify: pass" sh -c "\"$sealist\" -c \"$scratch/sealist.conf\" arc verify --nameserver $ns <\"$scratch/sealed1.eml\" | grep -q '^arc: pass sets=1 oldest-pass=0'"
check "second sealer relay.example" seal relay.example rk relay sealed1.eml sealed2.eml
check "instance 2 says cv=pass" grep -q '^ARC-Seal: i=2; a=rsa-sha256; cv=pass;' "$scratch/sealed2.eml"
check "dkimpy: chain of two sealers validates" test "$(dkimpy_cv sealed2.eml)" = cv=pass
auth --client-ip 192.0.2.10 <"$scratch/sealed2.eml" >"$scratch/sealed2.out" 2>&1
check "auth check: arc pass with both sets" grep -q '^arc: pass sets=2 oldest-pass=0 i1=list.example i2=relay.example' "$scratch/sealed2.out"
check "Ed25519 seal: sealist's own verify passes" sh -c \
	"\"$sealist\" -c \"$scratch/sealist.conf\" arc seal --nameserver $ns --authserv-id list.example \
	 --domain list.example --selector ek --key \"$scratch/listed.pem\" <\"$scratch/signed.eml\" >\"$scratch/sealed-ed.eml\" \
	 && \"$sealist\" -c \"$scratch/sealist.conf\" arc verify --nameserver $ns <\"$scratch/sealed-ed.eml\" >/dev/null"

# Broken ARC sets: the body changed after sealing; a garbage seal; a set missing its AMS.
sed 's/Hello, list\./Hello, changed list./' "$scratch/sealed2.eml" >"$scratch/broken.eml"
check_fails "arc verify: body changed after sealing fails" sh -c \
	"\"$sealist\" -c \"$scratch/sealist.conf\" arc verify --nameserver $ns <\"$scratch/broken.eml\" >\"$scratch/broken.out\""
check "and says the newest AMS did not validate" grep -q 'reason="newest AMS did not validate"' "$scratch/broken.out"
check "dkimpy agrees: fail" test "$(dkimpy_cv broken.eml)" = cv=fail
check "sealing a failed chain: cv=fail" seal list.example lk list broken.eml sealed3.eml
check "i=3 with cv=fail" grep -q '^ARC-Seal: i=3; a=rsa-sha256; cv=fail;' "$scratch/sealed3.eml"
check_fails "no set after a cv=fail seal" seal relay.example rk relay sealed3.eml sealed4.eml
check "the refusal says why" grep -q 'not sealed' "$scratch/sealed4.eml.err"
{ printf '%s\r\n' "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=x; s=y; b=!!!" \
	"ARC-Message-Signature: i=1; garbage" "ARC-Authentication-Results: i=1; x; none"
  cat "$scratch/signed.eml"; } >"$scratch/garbage.eml"
auth --client-ip 192.0.2.10 <"$scratch/garbage.eml" >"$scratch/garbage.out" 2>&1
check "garbage ARC set: arc fail with a reason" grep -q '^arc: fail .*reason="malformed AS" detail="bad base64"' "$scratch/garbage.out"
{ printf '%s\r\n' "ARC-Authentication-Results: i=1; x; none" "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=list.example; s=lk; b=AAAA"
  cat "$scratch/signed.eml"; } >"$scratch/noams.eml"
auth --client-ip 192.0.2.10 <"$scratch/noams.eml" >"$scratch/noams.out" 2>&1
check "set without AMS: arc fail" grep -q '^arc: fail .*reason="missing AMS"' "$scratch/noams.out"

# An SPF include loop ends in permerror.
auth --client-ip 192.0.2.10 --mail-from a@loop.example <"$scratch/post.eml" >"$scratch/loop.out" 2>&1
check "SPF include loop: permerror" grep -q '^spf: permerror smtp.mailfrom=a@loop.example' "$scratch/loop.out"

# A 2 MB header is refused cleanly (LIMIT_HEADER_BLOCK); 900 KB is judged.
$py - "$scratch/signed.eml" "$scratch/big2.eml" 2000 "$scratch/big09.eml" 900 <<'EOF'
import sys
body = open(sys.argv[1], "rb").read()
for out, kb in ((sys.argv[2], int(sys.argv[3])), (sys.argv[4], int(sys.argv[5]))):
    line = b"Received: from relay.example by mx.example; " + b"x" * 950 + b"\r\n"
    with open(out, "wb") as f:
        f.write(line * kb + body)
EOF
auth --client-ip 192.0.2.10 <"$scratch/big2.eml" >"$scratch/big2.out" 2>"$scratch/big2.err"
check "2 MB header: exit 1, no crash" test $? -eq 1
check "and the reason names the header limit" grep -qi 'header' "$scratch/big2.err"
check "900 KB of Received fields: judged, dkim pass" sh -c \
	"\"$sealist\" -c \"$scratch/sealist.conf\" auth check --nameserver $ns --authserv-id lists.test \
	 --client-ip 192.0.2.10 --mail-from bounce@author.example <\"$scratch/big09.eml\" | grep -q '^dkim: pass d=author.example'"

# Keys on a server that never answers: the allowance ends the check.
$py -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
time.sleep(60)
' >"$scratch/silent.port" &
silent_pid=$!
at_exit "kill $silent_pid 2>/dev/null"
wait_for "$scratch/silent.port" '[0-9]' 5
silent=127.0.0.1:$(cat "$scratch/silent.port")
start=$(date +%s)
"$sealist" -c "$scratch/sealist.conf" auth check --nameserver "$silent" --authserv-id lists.test \
	--dns-budget-ms 2500 --client-ip 192.0.2.10 --mail-from a@author.example \
	<"$scratch/sealed2.eml" >"$scratch/silent.out" 2>&1
rc=$?
took=$(( $(date +%s) - start ))
check "silent DNS: judged (exit 0)" test $rc -eq 0
check "silent DNS: every method a temperror or fail" sh -c \
	"grep -q '^dkim: temperror' \"$scratch/silent.out\" && grep -q '^spf: temperror' \"$scratch/silent.out\" \
	 && grep -q '^dmarc: temperror' \"$scratch/silent.out\" && grep -q '^arc: fail' \"$scratch/silent.out\""
check "silent DNS: the allowance was spent" grep -q '^dns: .*allowance spent' "$scratch/silent.out"
check "silent DNS: bounded (2.5 s allowance + one 1 s lookup; took ${took}s)" test "$took" -le 8
tap_done
