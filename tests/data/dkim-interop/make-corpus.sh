#!/bin/sh
# NAME
#	make-corpus.sh
# SUMMARY
#	write the DKIM interoperability corpus into a directory
# SYNOPSIS
#	make-corpus.sh OUTDIR
# DESCRIPTION
#	Writes one NAME.eml per test message into OUTDIR and an INDEX file
#	(NAME, TAB, what the message exercises).  tests/e2e/dkim_interop.sh
#	runs it at test time; nothing generated is stored in the tree, so
#	that no editor or git setting can strip the trailing white space,
#	CRs and 8-bit bytes these messages are made of.
#
#	Every byte is written by printf: "\r\n" and "\n" are spelled out,
#	8-bit bytes are octal escapes, trailing white space sits inside
#	quotes.  All messages are written for sealist; none is real mail.
#	Every message has a From field (DKIM signers must sign it) and no
#	DKIM-Signature field.
#
#	Output is deterministic: the same script writes the same bytes.
set -eu
out=${1:?usage: make-corpus.sh OUTDIR}
mkdir -p "$out"
: > "$out/INDEX"

CRLF=$(printf '\r\n_'); CRLF=${CRLF%_}
LF=$(printf '\n_'); LF=${LF%_}
eol=$CRLF

# msg NAME EOL WHAT -- start NAME.eml; EOL is crlf or lf (the default
# line end of L below).  Output goes to the file until the next msg.
msg() {
	case $2 in crlf) eol=$CRLF ;; lf) eol=$LF ;; *) echo "bad eol $2" >&2; exit 2 ;; esac
	exec > "$out/$1.eml"
	printf '%s\t%s\n' "$1" "$3" >> "$out/INDEX"
}
# L TEXT -- one line, ended with the current line end; TEXT is part of a
# printf format (after a leading %s, so that it may start with "-"): it
# may hold escapes (\t, \351), and a literal % or \ must be doubled.
L() { printf "%s$1%s" "" "$eol"; }
# R TEXT -- raw bytes, no line end added (printf escapes as in L).
R() { printf "%s$1" ""; }
# CL TEXT / LL TEXT -- a line ended with CRLF / LF whatever the default.
CL() { printf "%s$1%s" "" "$CRLF"; }
LL() { printf "%s$1%s" "" "$LF"; }
# rep N CHAR -- N copies of CHAR (one byte), no line end.
rep() { printf "%${1}s" "" | tr ' ' "$2"; }

# std [SUBJECT] -- an ordinary header block (no separator line).
std() {
	L 'From: Alice Example <alice@example.org>'
	L 'To: Bob Example <bob@example.net>'
	L "Subject: ${1:-interop test message}"
	L 'Date: Mon, 03 Mar 2025 10:15:00 +0000'
	L 'Message-ID: <interop-0001@example.org>'
}
para() {	# a short ordinary body paragraph
	L 'Hello Bob,'
	L ''
	L 'This is a test message for DKIM interoperability.'
	L 'It has a few lines of plain text.'
	L ''
	L 'Alice'
}

# ---------------------------------------------------------------- plain

msg plain-crlf crlf "ordinary short message, CRLF"
std; L ''; para

msg plain-lf lf "ordinary short message, bare LF line ends throughout"
std; L ''; para

msg minimal-from-only crlf "the smallest message: a From field, separator, one body line"
L 'From: alice@example.org'; L ''; L 'x'

msg minimal-from-only-lf lf "From field only, LF, body 'x' without final line end"
L 'From: alice@example.org'; L ''; R 'x'

# ------------------------------------------------ header white space

msg folded-subject-spaces crlf "Subject folded over four lines with runs of spaces"
L 'From: Alice Example <alice@example.org>'
L 'To: bob@example.net'
L 'Subject: this subject is folded'
L '   over several lines with'
L '     more and more    leading spaces'
L ' and inner    runs   of    spaces'
L 'Date: Mon, 03 Mar 2025 10:15:00 +0000'
L ''; para

msg folded-subject-tabs crlf "Subject folded with TABs, TAB runs inside the value"
L 'From: Alice Example <alice@example.org>'
L 'To: bob@example.net'
L 'Subject:\tthis subject\tuses tabs'
L '\tas folding white space'
L '\t\t\tand\t\ttab runs'
L 'Date: Mon, 03 Mar 2025 10:15:00 +0000'
L ''; para

msg folded-to-mixed-wsp crlf "To list folded many times, TAB and space mixed, ' \\t' combos"
L 'From: Alice Example <alice@example.org>'
L 'To: one@example.net,'
L ' \ttwo@example.net,   '
L '\t three@example.net ,'
L '  \t  "Four, Quoted" <four@example.net>,'
L '\tfive@example.net'
L 'Cc: six@example.net,'
L '        seven@example.net'
L 'Subject: folded address lists'
L ''; para

msg header-inner-wsp-runs crlf "values with long runs of spaces and TABs between words"
L 'From:    Alice    Example     <alice@example.org>'
L 'To:\t\tbob@example.net'
L 'Subject:  many     inner      spaces \t\t and \t tabs   here'
L 'Date: Mon,   03 Mar 2025   10:15:00    +0000'
L ''; para

msg header-trailing-wsp crlf "trailing spaces and TABs after every header value"
L 'From: Alice Example <alice@example.org>   '
L 'To: bob@example.net\t'
L 'Subject: trailing white space \t \t'
L 'Date: Mon, 03 Mar 2025 10:15:00 +0000 '
L 'Message-ID: <trailing@example.org>\t\t'
L ''; para

msg header-trailing-wsp-lf lf "trailing WSP after header values, LF line ends"
L 'From: Alice Example <alice@example.org>   '
L 'To: bob@example.net\t'
L 'Subject: trailing white space \t \t'
L ''; para

msg header-no-space-after-colon crlf "no space after the colon: 'Subject:value'"
L 'From:alice@example.org'
L 'To:bob@example.net'
L 'Subject:no space after colon'
L 'Date:Mon, 03 Mar 2025 10:15:00 +0000'
L ''; para

msg header-tab-after-colon crlf "a TAB (and TAB+spaces) right after the colon"
L 'From:\talice@example.org'
L 'To:\t  bob@example.net'
L 'Subject:\ttab after colon'
L ''; para

msg header-folded-first-line-empty crlf "the value starts on a continuation line ('Subject:' CRLF ' text')"
L 'From: alice@example.org'
L 'To:'
L ' bob@example.net'
L 'Subject:'
L '\tvalue only on the continuation line'
L ''; para

msg header-wsp-only-continuation crlf "a continuation line made only of white space inside a field"
L 'From: alice@example.org'
L 'To: bob@example.net'
L 'Subject: before the blank-looking line'
L '   '
L '\tafter it'
L 'Date: Mon, 03 Mar 2025 10:15:00 +0000'
L ''; para

msg header-fold-then-trailing-wsp crlf "folded value whose last continuation line ends in WSP"
L 'From: alice@example.org'
L 'Subject: first part'
L ' second part   '
L '\tthird part\t '
L 'To: bob@example.net'
L ''; para

msg header-empty-value crlf "Subject and Cc present with empty values ('Subject:' then CRLF)"
L 'From: alice@example.org'
L 'To: bob@example.net'
L 'Cc:'
L 'Subject:'
L 'Date: Mon, 03 Mar 2025 10:15:00 +0000'
L ''; para

msg header-wsp-only-value crlf "Subject whose value is only white space ('Subject: \\t  ')"
L 'From: alice@example.org'
L 'To: bob@example.net'
L 'Subject: \t  '
L 'Reply-To:   '
L ''; para

msg header-colons-in-value crlf "colons and semicolons inside values"
L 'From: alice@example.org'
L 'To: bob@example.net'
L 'Subject: Re: Fwd: re: a: b:: c;d; e=f'
L 'Message-ID: <a:b:c@example.org>'
L ''; para

# ---------------------------------------------------- header name case

msg odd-case-names crlf "header names in odd case: FROM, sUbJeCt, to, DATE, message-id"
L 'FROM: Alice Example <alice@example.org>'
L 'to: bob@example.net'
L 'sUbJeCt: odd case names'
L 'DATE: Mon, 03 Mar 2025 10:15:00 +0000'
L 'message-id: <oddcase@example.org>'
L ''; para

msg odd-case-mime crlf "MIME header names in odd case (mime-VERSION, CONTENT-type)"
L 'from: alice@example.org'
L 'To: bob@example.net'
L 'SUBJECT: odd case MIME names'
L 'mime-VERSION: 1.0'
L 'CONTENT-type: text/plain; charset=us-ascii'
L 'Content-TRANSFER-Encoding: 7bit'
L ''; para

msg odd-case-lf lf "odd-case names with LF line ends and folding"
L 'fRoM: alice@example.org'
L 'tO: bob@example.net,'
L '  carol@example.net'
L 'subJECT: odd case'
L '\tfolded'
L ''; para

# --------------------------------------------------- duplicate fields

msg duplicate-subject crlf "two Subject fields (signers pick the last; over-signing)"
L 'From: alice@example.org'
L 'To: bob@example.net'
L 'Subject: the first subject'
L 'Date: Mon, 03 Mar 2025 10:15:00 +0000'
L 'Subject: the second subject'
L ''; para

msg duplicate-to crlf "two To fields, one folded"
L 'From: alice@example.org'
L 'To: bob@example.net'
L 'Subject: two To fields'
L 'To: carol@example.net,'
L '\tdave@example.net'
L ''; para

msg duplicate-mixed-case crlf "duplicates differing only in name case (Subject / SUBJECT / subject)"
L 'From: alice@example.org'
L 'Subject: one'
L 'To: bob@example.net'
L 'SUBJECT: two'
L 'subject: three'
L ''; para

msg received-chain crlf "six Received fields above the rest, folded, trace order"
L 'Received: from mx3.example.net (mx3.example.net [192.0.2.3])'
L '\tby mx4.example.net with ESMTPS id 4AAAA'
L '\tfor <bob@example.net>; Mon, 03 Mar 2025 10:15:05 +0000'
L 'Received: from mx2.example.net (mx2.example.net [192.0.2.2])'
L '\tby mx3.example.net with ESMTP id 3BBBB; Mon, 03 Mar 2025 10:15:04 +0000'
L 'Received: from mx1.example.org by mx2.example.net; Mon, 03 Mar 2025 10:15:03 +0000'
L 'Received: from localhost (localhost [127.0.0.1])'
L '        by mx1.example.org (Postfix) with ESMTP id 1DDDD'
L '        for <bob@example.net>; Mon, 03 Mar 2025 10:15:02 +0000'
L 'Received: by submit.example.org; Mon, 03 Mar 2025 10:15:01 +0000'
L 'Received: from [192.0.2.99] by submit.example.org; Mon, 03 Mar 2025 10:15:00 +0000'
std 'after a Received chain'; L ''; para

msg received-interleaved crlf "Received, X- and signed fields interleaved; Return-Path on top"
L 'Return-Path: <alice@example.org>'
L 'Received: by a.example.net; Mon, 03 Mar 2025 10:15:03 +0000'
L 'From: alice@example.org'
L 'Received: by b.example.net; Mon, 03 Mar 2025 10:15:02 +0000'
L 'X-Spam-Status: No, score=-0.1'
L 'Subject: interleaved'
L 'Received: by c.example.net; Mon, 03 Mar 2025 10:15:01 +0000'
L 'To: bob@example.net'
L 'X-Spam-Status: No, second copy'
L ''; para

msg auth-results-present crlf "Authentication-Results and ARC fields present (not DKIM-Signature)"
L 'ARC-Seal: i=1; a=rsa-sha256; cv=none; d=example.net; s=arc; t=1740996900;'
L '\tb=AAAABBBBCCCC'
L 'Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.org;'
L '\tdkim=none'
std 'with Authentication-Results'; L ''; para

# -------------------------------------------------- long header lines

msg long-subject-unfolded crlf "one unfolded Subject line of 1500 octets"
L 'From: alice@example.org'
L 'To: bob@example.net'
L "Subject: $(rep 1490 S)"
L ''; para

msg long-x-header-4000 crlf "an unfolded 4000-octet X- field plus long To (about 1200 octets on one line)"
L 'From: alice@example.org'
tolist=""
i=1; while [ $i -le 40 ]; do tolist="${tolist}user$i@example.net, "; i=$((i + 1)); done
L "To: ${tolist}last@example.net"
L "X-Long: $(rep 3992 x)"
L 'Subject: long lines in the header'
L ''; para

msg long-references-folded crlf "References with 80 message-ids folded one per line"
std 'long References'
R 'References:'
i=1; while [ $i -le 80 ]; do L " <ref-$i-$(rep 20 r)@example.org>"; i=$((i + 1)); done
L 'In-Reply-To: <ref-80-rrrrrrrrrrrrrrrrrrrr@example.org>'
L ''; para

msg long-subject-folded-lf lf "Subject of 3000 octets folded every 70 octets, LF"
L 'From: alice@example.org'
R 'Subject:'
i=1; while [ $i -le 43 ]; do L " word$i-$(rep 60 w)"; i=$((i + 1)); done
L ''; para

msg many-header-fields crlf "150 X-Field-N header fields (header count stress)"
std 'many fields'
i=1; while [ $i -le 150 ]; do L "X-Field-$i: value $i"; i=$((i + 1)); done
L ''; para

msg odd-header-name-chars crlf "field names using unusual printable characters (X-a_b.c#d!, X-\$%%)"
std 'odd name characters'
L 'X-a_b.c#d!: one'
L 'X-$%%&*+~: two'
L 'X-9: three'
L ''; para

# ------------------------------------------------------ 8-bit headers

msg header-utf8 crlf "raw UTF-8 in Subject, From display name and To (SMTPUTF8 style)"
L 'From: J\303\274rgen M\303\274ller <juergen@example.org>'
L 'To: Ren\303\251e <renee@example.net>'
L 'Subject: Gr\303\274\303\237e \342\200\224 \346\227\245\346\234\254\350\252\236 \360\237\230\200'
L 'MIME-Version: 1.0'
L 'Content-Type: text/plain; charset=utf-8'
L ''; para

msg header-latin1 crlf "raw ISO-8859-1 bytes in Subject and From display name"
L 'From: J\374rgen M\374ller <juergen@example.org>'
L 'To: bob@example.net'
L 'Subject: caf\351 cr\350me br\373l\351e \327 \247'
L ''; para

msg header-encoded-words crlf "RFC 2047 encoded-words, long and folded between words"
L 'From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.org>'
L 'To: bob@example.net'
L 'Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgZGVyIEhhdXB0c3RhZHQgdW5kIG5vY2ggdmllbA==?='
L ' =?UTF-8?B?IG1laHIgVGV4dCwgZGFtaXQgZXMgZmFsdGV0?='
L '\t=?ISO-8859-1?Q?caf=E9?='
L ''; para

# ------------------------------------------------------- empty bodies

msg empty-body-crlf crlf "header, separator line, no body at all (CRLF)"
std 'empty body'; L ''

msg empty-body-lf lf "header, separator line, no body at all (LF)"
std 'empty body'; L ''

msg no-separator-crlf crlf "header only: no separator line, no body"
std 'no separator'

msg no-separator-lf lf "header only, LF, no separator line"
std 'no separator'

msg body-one-empty-line crlf "the body is one empty line (CRLF)"
std 'body is one CRLF'; L ''; L ''

msg body-only-blank-lines crlf "the body is five empty lines"
std 'body of blank lines'; L ''; L ''; L ''; L ''; L ''; L ''

msg body-only-wsp-lines crlf "the body is only lines of spaces and TABs"
std 'body of WSP lines'; L ''; L '   '; L '\t'; L ' \t '; L ''

msg body-single-space-no-eol crlf "the body is a single space with no line end"
std 'single space body'; L ''; R ' '

# ------------------------------------------------- body line endings

msg no-final-eol-crlf crlf "last body line without a line end (CRLF elsewhere)"
std 'no final CRLF'; L ''; L 'first line'; R 'last line without CRLF'

msg no-final-eol-lf lf "last body line without a line end (LF elsewhere)"
std 'no final LF'; L ''; L 'first line'; R 'last line without LF'

msg no-final-eol-trailing-wsp crlf "last line ends in spaces/TAB and has no line end"
std 'no final CRLF, trailing WSP'; L ''; L 'first line'; R 'last line  \t '

msg trailing-blank-lines crlf "body followed by four empty lines"
std 'trailing blank lines'; L ''; para; L ''; L ''; L ''; L ''

msg trailing-blank-lines-lf lf "body followed by four empty lines, LF"
std 'trailing blank lines'; L ''; para; L ''; L ''; L ''; L ''

msg trailing-wsp-lines crlf "body followed by lines holding only spaces and TABs"
std 'trailing WSP lines'; L ''; para; L '   '; L '\t'; L ''; L ' \t \t'; L ''

msg trailing-wsp-lines-no-eol crlf "trailing WSP-only lines, the last without a line end"
std 'trailing WSP, no final CRLF'; L ''; para; L ' '; L ''; R '\t '

msg trailing-wsp-lines-lf lf "trailing WSP-only lines and empty lines, LF"
std 'trailing WSP lines'; L ''; para; L '  '; L ''; L '\t\t'; L ''

msg body-wsp-lines-inside crlf "white-space-only and empty lines between text lines"
std 'WSP lines inside'; L ''
L 'first'; L '   '; L 'second'; L '\t'; L ''; L ' \t  \t'; L 'third'

msg body-trailing-wsp-per-line crlf "every body line ends with spaces or TABs"
std 'trailing WSP per line'; L ''
L 'line one   '; L 'line two\t'; L 'line three \t \t'; L 'line four '

msg body-inner-wsp crlf "runs of spaces and TABs inside and at the start of body lines"
std 'inner WSP'; L ''
L 'a    b\t\tc \t d'; L '    indented by spaces'; L '\t\tindented by tabs'
L ' \t mixed indent  and   runs'

msg body-leading-blank-lines crlf "body starting with three empty lines and a WSP line"
std 'leading blank lines'; L ''; L ''; L ''; L ''; L '  '; para

msg body-dot-lines crlf "lines '.', '..', '.x' (SMTP dot-stuffing material) in the body"
std 'dot lines'; L ''
L 'before'; L '.'; L '..'; L '.leading dot'; L '...'; L 'after'

msg body-from-lines crlf "body lines starting with 'From ' and '>From '"
std 'From lines'; L ''
L 'From the start of this line'; L '>From a quoted one'; L 'From: not a header'

msg body-control-chars crlf "control characters (BEL, ESC, FF, VT, DEL) inside body lines"
std 'control characters'; L ''
L 'bell \007 here'; L 'escape \033[1m bold \033[0m'; L 'form\014feed'; L 'vertical\013tab'; L 'del \177'

# -------------------------------------------------------- long lines

msg long-line-2000 crlf "one body line of 2000 octets (letters)"
std 'long line 2000'; L ''; L 'start'; L "$(rep 2000 a)"; L 'end'

msg long-line-10000-lf lf "one body line of 10000 octets, LF"
std 'long line 10000'; L ''; L "$(rep 10000 b)"

msg long-line-wsp-runs crlf "a 5000-octet line made of words and runs of WSP, ending in WSP"
std 'long line with WSP'; L ''
line=""
i=1; while [ $i -le 480 ]; do line="${line}word$i   \t"; i=$((i + 1)); done
L "$line"
L 'end'

msg long-line-no-eol crlf "a 3000-octet last line without a line end"
std 'long last line'; L ''; R "$(rep 3000 c)"

msg many-lines crlf "3000 short body lines (about 60 KB)"
std 'many lines'; L ''
i=1; while [ $i -le 3000 ]; do L "line $i of the long body"; i=$((i + 1)); done

msg large-body-lf lf "about 400 KB of body in 80-octet lines, LF"
std 'large body'; L ''
chunk=$(rep 79 z)
i=1; while [ $i -le 5000 ]; do L "$chunk"; i=$((i + 1)); done

# ------------------------------------------------------- 8-bit bodies

msg body-latin1 crlf "ISO-8859-1 body, Content-Transfer-Encoding 8bit"
L 'From: alice@example.org'
L 'To: bob@example.net'
L 'Subject: latin-1 body'
L 'MIME-Version: 1.0'
L 'Content-Type: text/plain; charset=iso-8859-1'
L 'Content-Transfer-Encoding: 8bit'
L ''
L 'Gr\374\337e aus K\366ln, caf\351 cr\350me br\373l\351e.'
L '\251 \256 \260 \261 \327 \367 \377 \240non-breaking space'
L 'trailing nbsp\240'

msg body-utf8 crlf "UTF-8 body (2-, 3- and 4-byte sequences), 8bit"
L 'From: alice@example.org'
L 'To: bob@example.net'
L 'Subject: utf-8 body'
L 'MIME-Version: 1.0'
L 'Content-Type: text/plain; charset=utf-8'
L 'Content-Transfer-Encoding: 8bit'
L ''
L 'Gr\303\274\303\237e \342\200\224 \346\227\245\346\234\254\350\252\236 \360\237\230\200'
L '\316\232\316\261\316\273\316\267\316\274\316\255\317\201\316\261 \320\274\320\270\321\200'
L '\342\200\257narrow nbsp and \302\240nbsp at ends\302\240'

msg body-utf8-lf lf "UTF-8 body with LF line ends and no final line end"
L 'From: alice@example.org'
L 'Subject: utf-8 body, LF'
L 'Content-Type: text/plain; charset=utf-8'
L ''
L 'na\303\257ve r\303\251sum\303\251'
R '\360\237\222\251 last line'

msg body-high-bytes crlf "every octet 0x80-0xFF in the body"
std 'all high octets'; L ''
L '\200\201\202\203\204\205\206\207\210\211\212\213\214\215\216\217\220\221\222\223\224\225\226\227\230\231\232\233\234\235\236\237'
L '\240\241\242\243\244\245\246\247\250\251\252\253\254\255\256\257\260\261\262\263\264\265\266\267\270\271\272\273\274\275\276\277'
L '\300\301\302\303\304\305\306\307\310\311\312\313\314\315\316\317\320\321\322\323\324\325\326\327\330\331\332\333\334\335\336\337'
L '\340\341\342\343\344\345\346\347\350\351\352\353\354\355\356\357\360\361\362\363\364\365\366\367\370\371\372\373\374\375\376\377'

# ------------------------------------------------- mixed line endings

msg mixed-crlf-header-lf-body crlf "CRLF header, bare-LF body"
L 'From: alice@example.org'; L 'To: bob@example.net'; L 'Subject: CRLF header, LF body'
L ''
LL 'first body line'; LL ''; LL 'third body line  '; LL 'last'

msg mixed-lf-header-crlf-body lf "bare-LF header, CRLF body"
L 'From: alice@example.org'; L 'To: bob@example.net'; L 'Subject: LF header, CRLF body'
L ''
CL 'first body line'; CL ''; CL 'third body line\t'; CL 'last'

msg mixed-alternating crlf "line ends alternate CRLF / LF in header (incl. folding) and body"
CL 'From: alice@example.org'
LL 'To: bob@example.net,'
CL ' carol@example.net'
LL 'Subject: alternating'
CL '\tline ends'
LL ''
CL 'body one'; LL 'body two  '; CL ''; LL ' '; CL 'body five'; LL ''; CL ''

msg mixed-separator-lf crlf "CRLF everywhere except the separator line, which is a bare LF"
std 'LF separator'; LL ''; para

# ---------------------------------------------------------------- MIME

msg mime-alternative crlf "multipart/alternative: text/plain and text/html parts"
std 'multipart/alternative'
L 'MIME-Version: 1.0'
L 'Content-Type: multipart/alternative;'
L '\tboundary="=_alt_boundary_1"'
L ''
L 'This is a multi-part message in MIME format.'
L ''
L '--=_alt_boundary_1'
L 'Content-Type: text/plain; charset=us-ascii'
L 'Content-Transfer-Encoding: 7bit'
L ''
L 'Plain text version.'
L ''
L '--=_alt_boundary_1'
L 'Content-Type: text/html; charset=us-ascii'
L 'Content-Transfer-Encoding: 7bit'
L ''
L '<html><body><p>HTML version.</p>   </body></html>'
L ''
L '--=_alt_boundary_1--'
L ''

msg mime-mixed-base64 crlf "multipart/mixed with a base64 attachment (76-octet lines)"
std 'attachment'
L 'MIME-Version: 1.0'
L 'Content-Type: multipart/mixed; boundary="mixed-b"'
L ''
L '--mixed-b'
L 'Content-Type: text/plain; charset=utf-8'
L 'Content-Transfer-Encoding: 8bit'
L ''
L 'See the attachment \342\200\224 thanks.'
L '--mixed-b'
L 'Content-Type: application/octet-stream; name="data.bin"'
L 'Content-Disposition: attachment; filename="data.bin"'
L 'Content-Transfer-Encoding: base64'
L ''
i=1; while [ $i -le 40 ]; do L 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4'; i=$((i + 1)); done
L 'OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbA=='
L '--mixed-b--'

msg mime-nested crlf "multipart/mixed holding multipart/alternative and a message/rfc822 part"
std 'nested MIME'
L 'MIME-Version: 1.0'
L 'Content-Type: multipart/mixed; boundary="outer"'
L ''
L 'preamble line'
L '--outer'
L 'Content-Type: multipart/alternative; boundary="inner"'
L ''
L '--inner'
L 'Content-Type: text/plain'
L ''
L 'inner plain'
L '--inner'
L 'Content-Type: text/html'
L ''
L '<p>inner html</p>'
L '--inner--'
L ''
L '--outer'
L 'Content-Type: message/rfc822'
L ''
L 'From: carol@example.net'
L 'Subject: the forwarded message'
L 'DKIM-Filler: not a signature, just a field in an attached message'
L ''
L 'forwarded body'
L '--outer--'
L 'epilogue line   '
L ''

msg mime-qp crlf "quoted-printable part with soft line breaks and =20 at line ends"
std 'quoted-printable'
L 'MIME-Version: 1.0'
L 'Content-Type: text/plain; charset=utf-8'
L 'Content-Transfer-Encoding: quoted-printable'
L ''
L 'This line is long enough that it has to be broken with a soft line brea='
L 'k in the middle, and this one ends with an encoded space=20'
L 'Gr=C3=BC=C3=9Fe =E2=80=94 trailing tab=09'
L '=3D equals'

msg mime-boundary-wsp crlf "boundary lines followed by trailing WSP, empty preamble and epilogue"
std 'boundary WSP'
L 'MIME-Version: 1.0'
L 'Content-Type: multipart/mixed;'
L '   boundary="b1"'
L ''
L '--b1   '
L 'Content-Type: text/plain'
L ''
L 'part one'
L '--b1\t'
L 'Content-Type: text/plain'
L ''
L 'part two'
L '--b1-- '
L ''
L ''

msg mime-alternative-lf lf "multipart/alternative with LF line ends, no final line end"
std 'multipart LF'
L 'MIME-Version: 1.0'
L 'Content-Type: multipart/alternative; boundary="lf-b"'
L ''
L '--lf-b'
L 'Content-Type: text/plain'
L ''
L 'plain'
L '--lf-b'
L 'Content-Type: text/html'
L ''
L '<b>html</b>'
R '--lf-b--'

# ------------------------------------------------- list-like messages

msg list-headers crlf "a list post: List-Id, List-Post, List-Unsubscribe(-Post), Sender, Reply-To, Cc"
L 'From: Alice Example <alice@example.org>'
L 'Reply-To: talk@lists.example.org'
L 'To: talk@lists.example.org'
L 'Cc: carol@example.net'
L 'Subject: [talk] weekly notes'
L 'Date: Mon, 03 Mar 2025 10:15:00 +0000'
L 'Message-ID: <list-1@example.org>'
L 'In-Reply-To: <list-0@example.org>'
L 'References: <list-0@example.org>'
L 'Sender: talk-bounces@lists.example.org'
L 'List-Id: Talk about things <talk.lists.example.org>'
L 'List-Post: <mailto:talk@lists.example.org>'
L 'List-Help: <mailto:talk-request@lists.example.org?subject=help>'
L 'List-Unsubscribe: <https://lists.example.org/u/talk?t=abc>,'
L '  <mailto:talk-leave@lists.example.org>'
L 'List-Unsubscribe-Post: List-Unsubscribe=One-Click'
L 'List-Archive: <https://lists.example.org/a/talk>'
L 'Precedence: list'
L 'MIME-Version: 1.0'
L 'Content-Type: text/plain; charset=us-ascii'
L 'Content-Transfer-Encoding: 7bit'
L ''; para
L '-- '
L 'talk mailing list'

msg list-headers-lf lf "the list post with LF line ends and odd-case List- names"
L 'From: Alice Example <alice@example.org>'
L 'To: talk@lists.example.org'
L 'Subject: [talk] LF list post'
L 'list-id: <talk.lists.example.org>'
L 'LIST-POST: <mailto:talk@lists.example.org>'
L 'List-unsubscribe: <mailto:talk-leave@lists.example.org>'
L ''; para

msg everything-at-once crlf "odd case, duplicates, trailing WSP, folding, 8-bit, WSP lines, no final CRLF"
L 'Received: by x.example.net; Mon, 03 Mar 2025 10:15:01 +0000'
L 'from:  Alice   <alice@example.org>  '
L 'SUBJECT: first\t'
L 'To: bob@example.net,'
L ' \t carol@example.net  '
L 'Subject:   second   \303\251t\303\251   '
L 'cc:'
L 'Date: Mon, 03 Mar 2025 10:15:00 +0000'
L ''
L ''
L '  leading  wsp  '
L 'caf\351'
L '\t'
L ''
R 'end  '
