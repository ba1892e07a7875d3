#!/usr/bin/python3
"""Usage: dkimpy_gen.py TABLE DATADIR OUTDIR

Make the signed messages of dkimpy's own test cases the way its test
modules (test_dkim.py, test_dkim_ed25519.py, test_dkim_rsavariants.py,
test_dkim_tlsrpt.py) make them: dkimpy signs one of its test messages
with one of its test keys, and some cases then edit the result.  TABLE
has one row per case (# comments):

  NAME INPUT KEY DOMAIN SELECTOR ALGORITHM CANON OPTIONS

INPUT and KEY are paths under DATADIR (RSA keys PEM; Ed25519 keys the
base64 seed, dkimpy's format).  OPTIONS is "-" or a comma list of:
  l            sign with l= (dkimpy length=True)
  lf           fold the signature with LF (dkimpy linesep=b"\\n")
  all-headers  sign every field, Received included (test_extra_headers)
  append-foo   append "foo" to the signed message (test_altered_body_fails)
  append-line  append "added more text\\n" (test_l_verify)
  add-x-foo    add "X-Foo: bar" at the end of the header (test_multiple_from_fails)
  from-end     add a second From at the end of the header (same test)
  from-top     add a second From at the top of the header (same test)
The header edits are made exactly as dkimpy's test does them, CRLF
inserted into an LF message included.  Writes OUTDIR/NAME.eml; prints
"NAME TAB ok" or "NAME TAB error: WHY"; exit 1 if any case failed.
"""
import os
import sys

import dkim

HFROM = b'From: "Resident Evil" <sales@spammer.com>\r\n'


def make(row, datadir):
    name, inp, key, domain, sel, alg, canon, opts = row
    opts = set(opts.split(",")) - {"-"}
    with open(os.path.join(datadir, inp), "rb") as fh:
        msg = fh.read()
    with open(os.path.join(datadir, key), "rb") as fh:
        keydata = fh.read().strip() if alg.startswith("ed25519") else fh.read()
    hc, bc = canon.encode().split(b"/")
    d = dkim.DKIM(msg, signature_algorithm=alg.encode(), linesep=b"\n" if "lf" in opts else b"\r\n")
    include = None
    if "all-headers" in opts:
        d.should_not_sign.remove(b"received")
        include = d.all_sign_headers()
    sig = d.sign(sel.encode(), domain.encode(), keydata, canonicalize=(hc, bc),
                 include_headers=include, length="l" in opts)
    if "lf" in opts and b"\r\n" in sig:
        raise ValueError("dkimpy folded with CRLF although linesep is LF")
    if opts & {"add-x-foo", "from-end", "from-top"}:
        h, b = msg.split(b"\n\n", 1)
        if "add-x-foo" in opts:
            h = h + b"\r\n" + b"X-Foo: bar"
        if "from-end" in opts:
            h = h + b"\r\n" + HFROM.strip()
        if "from-top" in opts:
            h = HFROM + h
        msg = b"\n\n".join((h, b))
    if "append-line" in opts:
        msg += b"added more text\n"
    if "append-foo" in opts:
        msg += b"foo"
    return sig + msg


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    table, datadir, outdir = sys.argv[1:]
    os.makedirs(outdir, exist_ok=True)
    bad = 0
    with open(table) as fh:
        rows = [ln.split() for ln in fh if ln.strip() and not ln.startswith("#")]
    for row in rows:
        if len(row) != 8:
            print("%s\terror: %d columns, want 8" % (row[0], len(row)))
            bad += 1
            continue
        try:
            out = make(row, datadir)
            with open(os.path.join(outdir, row[0] + ".eml"), "wb") as fh:
                fh.write(out)
            print("%s\tok" % row[0])
        except Exception as e:
            bad += 1
            print("%s\terror: %s: %s" % (row[0], type(e).__name__, e))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
