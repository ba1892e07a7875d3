#!/usr/bin/python3
"""Read a `sealist config export` of a list whose settings are all at
their defaults (stdin) and write a settings file (stdout) that changes
every one of them, driven by the export's own "# type:" and "# legal
values are:" comments, so that a setting added to the table is covered
without touching the test.  The new values exercise what a round trip
must keep: non-ASCII text, quotes of both kinds, backslashes, tabs,
multi-line text, regular expressions, and an empty string.
"""
import re
import sys

STRING = "Ünïcödé 'single' \"double\" back\\slash"
TEXT = ("First line of %s — ünïcödé\n\tindented with a tab\n"
        "quotes ' and \" and ''' and \"\"\" and a backslash \\ here\n\nlast line\n")
PATTERNS = ["first@example.com", r"^[a-z.]+@(foo|bar)\.example$", "",
            "Third.Person@Example.NET"]

def main():
    kind = default = None
    legal = []
    out = ["# every setting changed, by tests/tools/config_change_all.py\n"]
    for line in sys.stdin:
        m = re.match(r"# type: (\w+)[^;]*; default(?:: (.*)|, line by line:)$", line)
        if m:
            kind, default, legal = m.group(1), m.group(2), []
            continue
        m = re.match(r"#    ('?[\w ]+'?) = ", line)
        if m:
            legal.append(m.group(1))
            continue
        m = re.match(r"([a-z0-9_]+) = ", line)
        if not m or kind is None:
            continue
        name = m.group(1)
        if kind == "bool":
            value = "1" if default == "0" else "0"
        elif kind == "int":
            value = str(int(default) + 1)
        elif kind == "float":
            value = "7.5"
        elif kind == "enum":
            value = [v for v in legal if v != default][-1]
        elif kind == "string":
            value = repr(STRING + " " + name)
        elif kind == "address":
            value = repr(name.replace("_", "-") + "@example.net")
        elif kind == "text":
            # a multi-line default becomes empty: the empty-string case
            value = "''" if default is None else repr(TEXT % name)
        elif kind == "patterns":
            value = repr(PATTERNS)
        else:
            sys.exit("unknown type %s for %s" % (kind, name))
        out.append("%s = %s\n" % (name, value))
        kind = None
    sys.stdout.write("".join(out))

main()
