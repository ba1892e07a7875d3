#!/usr/bin/python3
"""Usage: arc_dkimpy.py RECORDS FILE...

Validate the ARC chain of each FILE with dkimpy's ARC verifier (Debian
python3-dkim, dkim.arc_verify), the independent oracle for lib/arc.  Keys
come from RECORDS, lines "NAME<TAB>TEXT" (the format tests/unit/arc_tool
reads); other names have no record.  For each FILE prints one line:
FILE TAB cv=none|pass|fail TAB dkimpy's comment.  Exit 0 unless the
arguments are bad.  Run with /usr/bin/python3.
"""
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import dkim  # noqa: E402


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    table = {}
    with open(sys.argv[1]) as f:
        for line in f:
            if '\t' in line:
                name, text = line.rstrip('\n').split('\t', 1)
                table[name.lower().rstrip('.')] = text.encode()

    def dnsfunc(name, timeout=5):
        if isinstance(name, bytes):
            name = name.decode()
        return table.get(name.lower().rstrip('.'))

    for path in sys.argv[2:]:
        with open(path, 'rb') as f:
            msg = f.read()
        cv, _results, comment = dkim.arc_verify(msg, dnsfunc=dnsfunc)
        if isinstance(cv, bytes):
            cv = cv.decode()
        print('%s\tcv=%s\t%s' % (path, cv.lower(), comment))
    return 0


if __name__ == '__main__':
    sys.exit(main())
