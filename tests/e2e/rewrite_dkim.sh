#!/bin/sh
# tests/e2e/rewrite_dkim.sh -- the keep check of src/rewrite.c against an
# independent DKIM implementation.  A post is signed by dkimpy
# (tests/oracle/dkimpy_sign.py: every field present is signed, From
# over-signed, but no List-* field, so the list's additions do not touch
# what is signed).  With a list that changes nothing signed (no subject
# prefix, no footer) the author's domain publishing p=reject, the keep
# check must keep the signature and the real From, and dkimpy must verify
# the result.  With a subject prefix the signature must be gone and From
# munged; with a footer too.  Both canonicalizations; RSA and Ed25519.
. "$top_srcdir/tests/lib.sh"

py=/usr/bin/python3
tool=$top_builddir/tests/unit/rewrite_tool
sign=$top_srcdir/tests/oracle/dkimpy_sign.py
verify=$top_srcdir/tests/oracle/dkimpy_verify.py
tab=$scratch/records.tab	# for rewrite_tool: NAME<TAB>TEXT
zone=$scratch/records.zone	# for dkimpy: name TXT "text"

if ! $py -c 'import dkim' 2>/dev/null || ! command -v openssl >/dev/null; then
	echo "1..0 # SKIP /usr/bin/python3 with python3-dkim, or openssl, not available"
	exit 0
fi

: >"$tab"; : >"$zone"
# key NAME TYPE SELECTOR: $scratch/NAME.pem and its records for author.example
key() {
	p=$(dkim_keygen "$scratch/$1.pem" "$2") || return 1
	printf '%s._domainkey.author.example\tv=DKIM1; k=%s; p=%s\n' "$3" "$2" "$p" >>"$tab"
	printf '%s._domainkey.author.example TXT "v=DKIM1; k=%s; p=%s"\n' "$3" "$2" "$p" >>"$zone"
}
check "RSA key for author.example" key krsa rsa s1
check "Ed25519 key for author.example" key ked ed25519 s2

mkdir -p "$scratch/in" "$scratch/signed"
printf '%s\r\n' "From: Ada Author <ada@author.example>" "To: dev@lists.example" \
	"Subject: Keep my signature" "Date: Wed, 13 Mar 2024 10:00:00 +0100" \
	"Message-ID: <keep-1@author.example>" "MIME-Version: 1.0" \
	"Content-Type: text/plain; charset=us-ascii" "" "Hello list," "" "-- " "Ada" \
	>"$scratch/in/post.eml"

# signed ALGO CANON KEY SEL NAME -- $scratch/signed/NAME.eml
signed() {
	cp "$scratch/in/post.eml" "$scratch/in/$5.eml" &&
	$py "$sign" --key "$scratch/$3.pem" --domain author.example --selector "$4" \
		--algo "$1" --canon "$2" --timestamp 1710320000 --outdir "$scratch/signed" \
		"$scratch/in/$5.eml" >/dev/null
}
# rw IN OUT ARGS... -- rewrite for a p=reject author; the result line in OUT.res
rw() {
	in=$1; out=$2; shift 2
	"$tool" -l dev@lists.example -n Dev -D Developers -w https://lists.example \
		-P reject -a author.example -o author.example -M 1 -R 2 \
		-A 'Authentication-Results: lists.example; dkim=pass header.d=author.example' \
		-i lists.example "$@" "$in" "$tab" >"$out" 2>"$out.res"
}
# dk FILE -- dkimpy's result words for FILE
dk() { $py "$verify" --dns "$zone" "$1" | cut -f2; }
# expect_res FILE WORDS WHAT
expect_res() {
	got=$(cat "$1.res")
	case " $got " in
	*" $2 "*) ok "$3: $2" ;;
	*) not_ok "$3: want $2, got: $got" ;;
	esac
}

for c in relaxed/relaxed simple/simple; do
	for a in rsa ed25519; do
		k=krsa; s=s1
		[ $a = ed25519 ] && { k=ked; s=s2; }
		n=$a-$(echo $c | tr / -)
		f=$scratch/signed/$n.eml
		check "dkimpy signs ($a, $c)" signed $a $c $k $s $n
		check "dkimpy verifies the post it signed ($n)" [ "$(dk "$f")" = pass ]

		check "rewrite without prefix or footer ($n)" rw "$f" "$scratch/$n.keep" -p '' -f ''
		expect_res "$scratch/$n.keep" "action=keep kept=1" "$n: keep check keeps it"
		check "$n: From is the author's" grep -q '^From: Ada Author <ada@author.example>' "$scratch/$n.keep"
		check "$n: List-Id added" grep -q '^List-Id: Developers <dev.lists.example>' "$scratch/$n.keep"
		r=$(dk "$scratch/$n.keep")
		if [ "$r" = pass ]; then ok "$n: dkimpy verifies the list's output"
		else not_ok "$n: dkimpy says $r on the list's output"; fi

		check "rewrite with a subject prefix ($n)" rw "$f" "$scratch/$n.pfx" -p '[%(real_name)s] ' -f ''
		expect_res "$scratch/$n.pfx" "action=munge kept=0 removed=1" "$n: prefix breaks it"
		check "$n: From munged" grep -q '^From: "Ada Author via Dev" <dev@lists.example>' "$scratch/$n.pfx"
		check "$n: author in Reply-To" grep -q '^Reply-To: Ada Author <ada@author.example>' "$scratch/$n.pfx"
		check "$n: subject prefixed" grep -q '^Subject: \[Dev\] Keep my signature' "$scratch/$n.pfx"
		check "$n: no DKIM-Signature left" [ "$(dk "$scratch/$n.pfx")" = none ]

		check "rewrite with a footer ($n)" rw "$f" "$scratch/$n.ftr" -p '' -f 'footer of %(real_name)s'
		expect_res "$scratch/$n.ftr" "action=munge kept=0 removed=1" "$n: footer breaks it"
		check "$n: no DKIM-Signature left after the footer" [ "$(dk "$scratch/$n.ftr")" = none ]

		# Mode 3: the broken signature is kept as a copy, the real one gone.
		check "rewrite with a prefix, remove_dkim_headers 3 ($n)" rw "$f" "$scratch/$n.x3" -R 3 \
			-p '[%(real_name)s] ' -f ''
		check "$n: X-Original-DKIM-Signature present" grep -q '^X-Original-DKIM-Signature: v=1;' "$scratch/$n.x3"
	done
done
tap_done
