"""Shared bits of the DKIM oracle helpers in tests/oracle/.

Run the helpers with /usr/bin/python3 (Debian's, which has python3-dkim,
python3-nacl and python3-dnspython); nothing here implements DKIM.

- dnsfunc(spec): a dkimpy-style TXT lookup, either real DNS to HOST:PORT
  (dnspython; the tests run dnsmasq on 127.0.0.1) or a records file.
- fields(msg): split a message's header into raw fields with offsets.
- eol_of(msg): the line end of the first line (b"\\r\\n" or b"\\n").
"""
import re
import sys

RECORD_LINE = re.compile(r'^(\S+)\s+(?:IN\s+)?TXT\s+(.*)$')


def load_records(path):
    """Records file: 'name TXT "part" "part"...' lines; # comments."""
    zone = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = RECORD_LINE.match(line)
            if not m:
                raise ValueError("%s:%d: not 'name TXT \"value\"'" % (path, n))
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))
            zone.setdefault(m.group(1).lower().rstrip("."), []).append("".join(parts))
    return zone


def dnsfunc(spec, log=None):
    """A dkimpy dnsfunc(name, timeout=5) -> bytes or None.

    spec "HOST:PORT" asks that server over real DNS (UDP, TCP on
    truncation); anything else is a records file.  NXDOMAIN and NODATA
    give None (dkimpy: key not found); a timeout raises DnsTimeoutError.
    If log is a list, (name, answer) pairs are appended to it.
    """
    import dkim
    if re.match(r"^[0-9.]+:[0-9]+$", spec):
        import dns.exception
        import dns.resolver
        host, port = spec.rsplit(":", 1)
        res = dns.resolver.Resolver(configure=False)
        res.nameservers = [host]
        res.port = int(port)
        res.lifetime = 5

        def lookup(name, timeout=5):
            if isinstance(name, bytes):
                name = name.decode("ascii", "replace")
            ans = None
            try:
                a = res.resolve(name, "TXT", raise_on_no_answer=False, lifetime=timeout)
                for rr in a:
                    ans = b"".join(rr.strings)
                    break
            except (dns.resolver.NXDOMAIN, dns.resolver.NoNameservers, dns.name.LabelTooLong,
                    dns.name.EmptyLabel):
                ans = None
            except dns.exception.Timeout as e:
                raise dkim.DnsTimeoutError("DNS timeout: %s" % e)
            if log is not None:
                log.append((name, ans))
            return ans
        return lookup
    zone = load_records(spec)

    def table(name, timeout=5):
        if isinstance(name, bytes):
            name = name.decode("ascii", "replace")
        vals = zone.get(name.lower().rstrip("."))
        ans = vals[0].encode() if vals else None
        if log is not None:
            log.append((name, ans))
        return ans
    return table


def eol_of(msg):
    i = msg.find(b"\n")
    return b"\r\n" if i > 0 and msg[i - 1:i] == b"\r" else b"\n"


def fields(msg):
    """Header fields as dicts: name (bytes), start, colon, end (offsets:
    the field is msg[start:end] including its final line end; the value
    is msg[colon+1:value_end]).  Also returns the body offset (after the
    separator line; len(msg) if there is none).  Lines end in LF or CRLF.
    """
    out = []
    pos = 0
    n = len(msg)
    while pos < n:
        nl = msg.find(b"\n", pos)
        line_end = n if nl < 0 else nl + 1
        line = msg[pos:line_end]
        if line in (b"\n", b"\r\n"):
            return out, line_end
        if line[:1] in (b" ", b"\t") and out:
            out[-1]["end"] = line_end
        else:
            c = line.find(b":")
            out.append({"name": line[:c] if c > 0 else line.rstrip(b"\r\n"),
                        "start": pos, "colon": pos + c if c > 0 else -1, "end": line_end})
        pos = line_end
    return out, n


def value_end(msg, f):
    """Offset of the end of field f's value (before its final line end)."""
    e = f["end"]
    if msg[e - 1:e] == b"\n":
        e -= 1
        if msg[e - 1:e] == b"\r":
            e -= 1
    return e


def die(text, code=2):
    print("%s: %s" % (sys.argv[0].rsplit("/", 1)[-1], text), file=sys.stderr)
    sys.exit(code)
