#!/bin/sh
# tests/e2e/outsign_dkimpy.sh -- posts finished per recipient by src/outsign.c
# (tests/unit/outsign_tool) checked by the independent verifiers: dkimpy
# verifies every DKIM signature of every copy (dual-signed RSA-2048 +
# Ed25519, d= the list domain) and dkimpy's ARC verifier gives cv=pass.
# The ARC set is sealed with the RSA key: dkimpy 1.1.4 cannot verify
# Ed25519 ARC signatures (see tests/e2e/arc_seal.sh), so an Ed25519 seal
# is checked separately and a "cannot verify ed25519" answer is a SKIP.
# Also: each copy carries its own recipient's token, one List-Unsubscribe
# and a List-Unsubscribe-Post; without personalization every copy is the
# same file; a copy whose List-Unsubscribe was changed fails (the check
# can fail).  Keys are made here with openssl.
. "$top_srcdir/tests/lib.sh"

py=/usr/bin/python3
tool=$top_builddir/tests/unit/outsign_tool
verify=$top_srcdir/tests/oracle/dkimpy_verify.py
arcv=$top_srcdir/tests/oracle/arc_dkimpy.py
zone=$scratch/zone.txt		# name TXT "value"  (dkimpy_verify.py)
recs=$scratch/records.txt	# name<TAB>value    (arc_dkimpy.py)

if ! $py -c 'import dkim' 2>/dev/null || ! command -v openssl >/dev/null; then
	echo "1..0 # SKIP /usr/bin/python3 with python3-dkim, or openssl, not available"
	exit 0
fi

# key NAME TYPE SELECTOR: $scratch/NAME.pem and its records for example.org
key() {
	p=$(dkim_keygen "$scratch/$1.pem" "$2") || return 1
	printf '%s._domainkey.example.org TXT "v=DKIM1; k=%s; p=%s"\n' "$3" "$2" "$p" >>"$zone"
	printf '%s._domainkey.example.org\tv=DKIM1; k=%s; p=%s\n' "$3" "$2" "$p" >>"$recs"
}
: >"$zone"; : >"$recs"
check "RSA-2048 key" key rsa rsa s-rsa
check "Ed25519 key" key ed ed25519 s-ed

printf '%s\r\n' "Received: from mx.example.net by lists.example.org; Fri, 27 Nov 2026 04:00:00 +0000" \
	"From: Alice <alice@example.net>" "To: dev@example.org" \
	"Subject: [Dev] the plan,  folded" "  over two lines" \
	"Date: Fri, 27 Nov 2026 04:00:00 +0000" "Message-ID: <outsign-e2e@example.net>" \
	"MIME-Version: 1.0" "Content-Type: text/plain; charset=utf-8" \
	"List-Id: Dev <dev.example.org>" "List-Post: <mailto:dev@example.org>" \
	"List-Unsubscribe: <https://lists.example.org/lists/dev@example.org/unsubscribe>," \
	" <mailto:dev-leave@example.org>" \
	"List-Unsubscribe-Post: List-Unsubscribe=One-Click" "Precedence: list" \
	"" "Hello,  list. " "Second line	with a tab." "" >"$scratch/post.eml"

# finish OUTDIR OPTIONS... -- outsign_tool with the shared options on
# $scratch/post.eml; its list of "FILE TAB RCPT TAB TOKEN" in OUTDIR.list
finish() {
	fdir=$1; shift
	mkdir -p "$fdir" && "$tool" -t 1795752000 -l dev@example.org -b https://lists.example.org \
		"$@" >"$fdir.list" 2>"$fdir.err"
}
rsa="-r $scratch/rsa.pem -R s-rsa"
ed="-e $scratch/ed.pem -E s-ed"
aar="lists.example.org; dkim=pass header.d=example.net; arc=none"
post=$scratch/post.eml

# all_dkimpy DIR WANT -- dkimpy gives WANT for every copy in DIR
all_dkimpy() {
	$py "$verify" --dns "$zone" "$1"/*.eml >"$1.dkimpy" || return 1
	bad=$(awk -F'\t' -v w="$2" '$2 != w' "$1.dkimpy")
	[ -z "$bad" ] && [ -s "$1.dkimpy" ] && return 0
	echo "$bad" | sed 's/^/# /'; return 1
}
# all_arc DIR -- dkimpy's ARC verifier says cv=pass for every copy in DIR
all_arc() {
	$py "$arcv" "$recs" "$1"/*.eml >"$1.arc" || return 1
	bad=$(awk -F'\t' '$2 != "cv=pass"' "$1.arc")
	[ -z "$bad" ] && [ -s "$1.arc" ] && return 0
	echo "$bad" | sed 's/^/# /'; return 1
}
# tokens DIR -- every copy has one List-Unsubscribe with its own token and
# address, and one List-Unsubscribe-Post
tokens() {
	while IFS='	' read -r f r t; do
		[ "$(grep -c '^List-Unsubscribe:' "$f")" = 1 ] || { echo "# $f: List-Unsubscribe count"; return 1; }
		[ "$(grep -c '^List-Unsubscribe-Post: List-Unsubscribe=One-Click' "$f")" = 1 ] || return 1
		grep -q "^List-Unsubscribe: <https://lists.example.org/lists/dev@example.org/unsubscribe/$t?a=" "$f" \
			|| { echo "# $f: no token $t for $r"; return 1; }
	done <"$1.list"
}

# shellcheck disable=SC2086
check "personalized, dual-signed, ARC: 5 copies" finish "$scratch/p" $rsa $ed \
	-a "$scratch/rsa.pem" -A s-rsa -y "$aar" "$post" "$scratch/p" \
	bob@example.net Carol+tag@Example.COM "dave.o'neil@example.org" "e/f=g&h@example.net" \
	"eve@xn--bcher-kva.example"
check "dkimpy: RSA and Ed25519 signatures pass on every copy" all_dkimpy "$scratch/p" pass,pass
check "dkimpy ARC: cv=pass on every copy" all_arc "$scratch/p"
check "each copy: its own token, one List-Unsubscribe, List-Unsubscribe-Post" tokens "$scratch/p"
check "copies differ between recipients" sh -c "! cmp -s \"$scratch/p/1.eml\" \"$scratch/p/2.eml\""

# The check can fail: change one character of a token.
mkdir "$scratch/t"
sed '/^List-Unsubscribe:/s/unsubscribe\/1\.\(.\)/unsubscribe\/1.X\1/' "$scratch/p/1.eml" >"$scratch/t/1.eml"
$py "$verify" --dns "$zone" "$scratch/t/1.eml" >"$scratch/t.out"
check "dkimpy: changed List-Unsubscribe fails both signatures" grep -q '	fail,fail	' "$scratch/t.out"
$py "$arcv" "$recs" "$scratch/t/1.eml" >"$scratch/t.arc"
check "dkimpy ARC: changed List-Unsubscribe gives cv=fail" grep -q '	cv=fail' "$scratch/t.arc"

# shellcheck disable=SC2086
check "not personalized: 3 copies" finish "$scratch/n" -n $rsa $ed \
	-a "$scratch/rsa.pem" -A s-rsa -y "$aar" "$post" "$scratch/n" \
	a@example.net b@example.net c@example.net
check "not personalized: identical bytes" sh -c "cmp -s \"$scratch/n/1.eml\" \"$scratch/n/2.eml\" \
	&& cmp -s \"$scratch/n/1.eml\" \"$scratch/n/3.eml\""
check "not personalized: dkimpy passes both" all_dkimpy "$scratch/n" pass,pass
check "not personalized: dkimpy ARC cv=pass" all_arc "$scratch/n"

# Sealed with Ed25519: dkimpy 1.1.4 cannot check it (arc_seal.sh explains).
# shellcheck disable=SC2086
check "Ed25519-only signing and sealing" finish "$scratch/e" $ed -y "$aar" "$post" "$scratch/e" \
	x@example.net
check "Ed25519-only: dkimpy passes the signature" all_dkimpy "$scratch/e" pass
line=$($py "$arcv" "$recs" "$scratch/e/1.eml")
case $line in
*"cv=pass"*) ok "Ed25519 seal: dkimpy cv=pass" ;;
*"cv=fail"*"unknown signature algorithm: b'ed25519-sha256'"*)
	ok "Ed25519 seal: not checkable # SKIP dkimpy 1.1.4 ARC verifies rsa-sha256 only" ;;
*) not_ok "Ed25519 seal: $line" ;;
esac
tap_done
