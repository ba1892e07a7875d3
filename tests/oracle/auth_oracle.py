#!/usr/bin/python3
"""auth_oracle.py PORT IP MAILFROM HELO MSG -- authheaders (Debian
python3-authheaders, with dkimpy and pyspf underneath) as an independent
judge of a whole message: DKIM, SPF, DMARC and ARC, the DNS answers coming
from the dnsmasq on 127.0.0.1:PORT.  Prints one "method=result" line per
method found in the Authentication-Results field authheaders writes (the
first dkim result only), so a shell test can compare them with sealist's.

Run with /usr/bin/python3 (Debian's modules), never a pyenv python3.
"""
import sys

import dns.resolver


def main():
    if len(sys.argv) != 6:
        sys.stderr.write(__doc__.splitlines()[0] + "\n")
        return 2
    port, ip, mail_from, helo, path = sys.argv[1:]
    # dkimpy, pyspf and authheaders all ask dnspython's default resolver.
    res = dns.resolver.Resolver(configure=False)
    res.nameservers = ["127.0.0.1"]
    res.port = int(port)
    res.lifetime = 5
    dns.resolver.default_resolver = res
    from authheaders import authenticate_message
    import authres

    with open(path, "rb") as f:
        msg = f.read()
    field = authenticate_message(msg, "oracle.test", spf=True, dkim=True,
                                 arc=True, dmarc=True, ip=ip,
                                 mail_from=mail_from, helo=helo)
    print("#", field.replace("\r\n", " ").replace("\n", " "))
    value = field.split(":", 1)[1]
    parsed = authres.AuthenticationResultsHeader.parse_value(value)
    seen = set()
    for r in parsed.results:
        if r.method in seen:
            continue
        seen.add(r.method)
        print("%s=%s" % (r.method, r.result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
