#!/usr/bin/python3
"""Usage: top_field.py --suffix SUF ORIGINAL SIGNED [ORIGINAL SIGNED ...]

Check that each SIGNED is ORIGINAL with exactly one header field added at
the top: a "DKIM-Signature:" field (name in that case), its continuation
lines starting with SP or TAB, every line of it ending with the line end
of ORIGINAL's first line, followed by ORIGINAL's bytes unchanged.
Writes "ok" or "bad TAB WHY" to SIGNED+SUF and prints the same with the
file name.  Exit 0 unless the arguments are bad.
"""
import argparse
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_lib  # noqa: E402


def check(orig, signed):
    if len(signed) <= len(orig) or signed[len(signed) - len(orig):] != orig:
        if not signed:
            return "empty output"
        return "the input is not found unchanged after the added field"
    field = signed[:len(signed) - len(orig)]
    if not field.startswith(b"DKIM-Signature:"):
        return "the added text does not start with 'DKIM-Signature:': %r" % field[:30]
    eol = oracle_lib.eol_of(orig)
    if not field.endswith(eol) or (eol == b"\n" and field.endswith(b"\r\n")):
        return "the added field does not end with the message's line end %r" % eol
    lines = field[:-len(eol)].split(eol)
    for ln in lines:
        if b"\n" in ln or b"\r" in ln:
            return "the added field mixes line ends (message uses %r)" % eol
    for ln in lines[1:]:
        if not ln[:1] in (b" ", b"\t") or not ln.strip():
            return "the added text is not one field: line %r" % ln[:30]
    if re.search(rb"[^\x20-\x7e\t]", field[:-len(eol)].replace(eol, b"")):
        return "the added field holds non-printable octets"
    return None


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--suffix", required=True)
    ap.add_argument("pairs", nargs="+")
    a = ap.parse_args()
    if len(a.pairs) % 2:
        oracle_lib.die("ORIGINAL SIGNED pairs expected")
    for orig_path, signed_path in zip(a.pairs[0::2], a.pairs[1::2]):
        with open(orig_path, "rb") as fh:
            orig = fh.read()
        try:
            with open(signed_path, "rb") as fh:
                signed = fh.read()
        except OSError as e:
            signed, why = None, "no output: %s" % e
        if signed is not None:
            why = check(orig, signed)
        line = "ok" if why is None else "bad\t%s" % why
        print("%s\t%s" % (signed_path, line))
        with open(signed_path + a.suffix, "w") as fh:
            fh.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
