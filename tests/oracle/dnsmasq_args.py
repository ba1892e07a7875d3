#!/usr/bin/python3
"""Usage: dnsmasq_args.py RECORDS

Print one dnsmasq option per line, --txt-record=NAME,PART,PART..., for
each record of RECORDS (lines: name TXT "value" ["value"...]; # comments),
cutting each value into character-strings of at most 250 octets (a DNS
character-string holds 255; an RSA-2048 p= is about 400).  On dnsmasq's
command line commas separate the strings, so a value holding a comma
cannot be served: that is an error (exit 1).
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_lib  # noqa: E402


def main():
    if len(sys.argv) != 2:
        oracle_lib.die(__doc__.strip().splitlines()[0])
    for name, values in oracle_lib.load_records(sys.argv[1]).items():
        for v in values:
            if "," in v or "," in name or "\n" in v:
                oracle_lib.die("%s: a comma or newline cannot be passed to dnsmasq" % name, 1)
            parts = [v[i:i + 250] for i in range(0, len(v), 250)] or [""]
            print("--txt-record=%s,%s" % (name, ",".join(parts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
