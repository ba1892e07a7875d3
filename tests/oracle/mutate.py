#!/usr/bin/python3
"""Usage: mutate.py SIGNED OUTDIR

Write every one-octet change of SIGNED that its first (topmost)
DKIM-Signature covers and that no canonicalization can undo: each ASCII
letter in the value of a signed header field instance (h= names matched
case-insensitively, bottom-up, as verifiers do) and each ASCII letter of
the body (up to l= octets of canonical body if l= is present: then the
body is left alone, since canonical offsets are not file offsets) is
replaced by the next letter (z -> y, Z -> Y).  Both canonicalizations
keep letters in values and bodies as they are, so every such copy must
fail verification.

Writes OUTDIR/NNNNN.eml and OUTDIR/MANIFEST (NNNNN TAB where TAB offset
TAB old>new; "where" is "header:NAME" or "body").  Prints the count.
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_lib  # noqa: E402
from opendkim_quirks import signed_instances, tag  # noqa: E402


def letter(c):
    return 0x41 <= c <= 0x5a or 0x61 <= c <= 0x7a


def other(c):
    return c - 1 if c in (0x5a, 0x7a) else c + 1


def main():
    if len(sys.argv) != 3:
        oracle_lib.die(__doc__.strip().splitlines()[0])
    src, outdir = sys.argv[1:]
    with open(src, "rb") as fh:
        msg = fh.read()
    fs, body_at = oracle_lib.fields(msg)
    idx = next((i for i, f in enumerate(fs) if f["name"].lower() == b"dkim-signature"), None)
    if idx is None:
        oracle_lib.die("%s has no DKIM-Signature" % src, 1)
    spots = []
    for f in signed_instances(msg, fs, idx):
        name = f["name"].decode("latin-1")
        for off in range(f["colon"] + 1, oracle_lib.value_end(msg, f)):
            if letter(msg[off]):
                spots.append(("header:" + name, off))
    if tag(msg[fs[idx]["colon"] + 1:fs[idx]["end"]], b"l") is None:
        spots += [("body", off) for off in range(body_at, len(msg)) if letter(msg[off])]
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "MANIFEST"), "w") as man:
        for n, (where, off) in enumerate(spots, 1):
            b = bytearray(msg)
            b[off] = other(msg[off])
            with open(os.path.join(outdir, "%05d.eml" % n), "wb") as fh:
                fh.write(b)
            man.write("%05d\t%s\t%d\t%c>%c\n" % (n, where, off, msg[off], b[off]))
    print(len(spots))
    return 0


if __name__ == "__main__":
    sys.exit(main())
