#!/usr/bin/python3
"""Usage: dkimpy_sign.py --key PEM --domain D --selector S --algo rsa|ed25519
                       --canon H/B --outdir DIR [--timestamp T] FILE...

Sign each FILE with dkimpy (Debian python3-dkim) and write DIR/<basename
of FILE>: the DKIM-Signature dkimpy makes, then FILE's bytes unchanged.
The field gets the line end of FILE's first line (dkimpy folds with
CRLF; with an LF message the field's CRLFs become LFs, which changes no
canonical form).  One process for many files.

Signed fields (h=): every field present, each occurrence, in header
order -- Received and Return-Path too, which dkimpy leaves out by
default ("SHOULD NOT", not "MUST NOT") -- except DKIM-Signature and Bcc,
plus From once more (over-signed, dkimpy's default).  That gives a
verifier long h= lists, repeated names and odd-case names to match.

A message whose last line has no line end is signed as if it had one
(as SMTP would carry it; no canonical form changes): dkimpy's relaxed body
canonicalization keeps that line's trailing white space, against RFC 6376
3.4.4.  The written file is still FILE's bytes exactly.

PEM keys: RSA in PKCS#1 or PKCS#8; Ed25519 in PKCS#8 (the 32-byte seed
is taken from it: dkimpy wants the base64 seed).  --timestamp fixes t=
(default: now).  Prints "FILE TAB ok" or "FILE TAB error: WHY" per
FILE; exit 1 if any FILE could not be signed.
"""
import argparse
import base64
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_lib  # noqa: E402
import dkim  # noqa: E402

UNSIGNED = {b"dkim-signature", b"bcc", b"resent-bcc"}


def ed25519_seed(pem):
    lines = [ln for ln in pem.splitlines() if ln and not ln.startswith(b"-----")]
    der = base64.b64decode(b"".join(lines))
    if len(der) != 48:
        raise ValueError("not a PKCS#8 Ed25519 private key (%d DER bytes)" % len(der))
    return base64.b64encode(der[16:])


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    for o in ("--key", "--domain", "--selector", "--canon", "--outdir"):
        ap.add_argument(o, required=True)
    ap.add_argument("--algo", choices=["rsa", "ed25519"], required=True)
    ap.add_argument("--timestamp", type=int, default=None)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    with open(a.key, "rb") as fh:
        pem = fh.read()
    key = ed25519_seed(pem) if a.algo == "ed25519" else pem
    alg = b"ed25519-sha256" if a.algo == "ed25519" else b"rsa-sha256"
    hc, bc = a.canon.encode().split(b"/")
    if a.timestamp is not None:
        time.time = lambda: a.timestamp  # dkimpy writes t=int(time.time())
    bad = 0
    for f in a.files:
        try:
            with open(f, "rb") as fh:
                msg = fh.read()
            eol = oracle_lib.eol_of(msg)
            # dkimpy's relaxed body canonicalization keeps trailing WSP on a
            # last line without a line end (RFC 6376 3.4.4: ignore it); sign
            # the message as SMTP would carry it: same canonical form.
            d = dkim.DKIM(msg if msg.endswith(b"\n") else msg + eol,
                          signature_algorithm=alg, minkey=1024)
            names = [n for (n, _) in d.headers if n.lower() not in UNSIGNED]
            d.should_not_sign = set(UNSIGNED)
            sig = d.sign(a.selector.encode(), a.domain.encode(), key, canonicalize=(hc, bc),
                         include_headers=names + [b"from"])
            if eol == b"\n":
                sig = sig.replace(b"\r\n", b"\n")
            with open(os.path.join(a.outdir, os.path.basename(f)), "wb") as fh:
                fh.write(sig + msg)
            print("%s\tok" % f)
        except Exception as e:
            bad += 1
            print("%s\terror: %s: %s" % (f, type(e).__name__, e))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
