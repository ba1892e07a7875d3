#!/usr/bin/python3
# NAME
#	spf_gen.py -- random SPF zones and questions; pyspf as the oracle
# SYNOPSIS
#	spf_gen.py gen SEED N OUTDIR
#	spf_gen.py pyspf PORT CASES
# DESCRIPTION
#	"gen" writes OUTDIR/dnsmasq.args (one dnsmasq option a line: the
#	records of N cases, each under its own cN.test so they cannot
#	interfere) and OUTDIR/cases ("IP<TAB>SENDER<TAB>HELO" lines, "-" for
#	the null sender).  Records mix every mechanism and qualifier, CIDR
#	lengths near the client's address, macros, includes, redirects,
#	exp=, unknown modifiers, void lookups, lookup-limit chains and some
#	syntax errors.  The same SEED gives the same files.
#
#	"pyspf" answers each line of CASES with python3-spf (Debian package
#	python3-spf, module spf) using dnspython against 127.0.0.1:PORT and
#	prints the result word, one a line.  Run it with /usr/bin/python3.
#	dnsmasq quirks avoided: no commas in TXT data (dnsmasq splits
#	strings there), no quotes.
import random, sys

def gen(seed, n, out):
    rnd = random.Random(seed)
    args, cases = [], []

    have_txt = set()

    def txt(name, rec, again=False):
        # One TXT record a name unless asked: a random name drawn twice
        # would get a second record, and identical ones are merged by
        # dnspython (RFC 2181 5: an RRset has no duplicates) but sent
        # twice by dnsmasq, which is a difference of the servers', not
        # of the SPF implementations'.
        if name in have_txt and not again:
            return
        have_txt.add(name)
        args.append('--txt-record=%s,%s' % (name, rec))

    for i in range(n):
        d = 'c%d.test' % i
        v6 = rnd.random() < 0.3
        if v6:
            ip = '2001:db8:%x::%x' % (i + 1, rnd.randrange(1, 200))
            near = lambda: '2001:db8:%x::%x' % (i + 1 + rnd.choice([0, 0, 1]),
                                                rnd.randrange(1, 200))
            rr, cidr = 'AAAA', lambda: rnd.choice(['', '//64', '//127',
                                                   '//128', '//48', '/24//120'])
        else:
            ip = '10.%d.%d.%d' % (i // 200, i % 200, rnd.randrange(1, 250))
            near = lambda: '10.%d.%d.%d' % (i // 200, i % 200 + rnd.choice(
                [0, 0, 1]), rnd.randrange(1, 250))
            rr, cidr = 'A', lambda: rnd.choice(['', '/24', '/30', '/32',
                                                '/16', '/24//64'])

        def host(name, addr=None):
            addr = addr or (ip if rnd.random() < 0.4 else near())
            args.append('--host-record=%s,%s' % (name, addr))

        def qual():
            return rnd.choice(['', '', '+', '-', '~', '?'])

        def simple_record(depth):
            terms = []
            for _ in range(rnd.randrange(0, 4)):
                terms.append(term(depth))
            if rnd.random() < 0.7:
                terms.append(qual() + 'all')
            return 'v=spf1 ' + ' '.join(terms)

        def term(depth):
            k = rnd.choice(['ip', 'ip', 'a', 'a', 'mx', 'ptr', 'exists',
                            'include', 'void', 'unknownmod', 'macro',
                            'bad'])
            if k == 'ip':
                fam = 'ip6' if v6 else 'ip4'
                if rnd.random() < 0.15:
                    fam = 'ip4' if v6 else 'ip6'
                    net = '192.0.2.1' if fam == 'ip4' else '2001:db8::1'
                else:
                    net = near()
                c = rnd.choice(['', '/8', '/24', '/31', '/32'] if fam == 'ip4'
                               else ['', '/32', '/48', '/64', '/127'])
                return qual() + '%s:%s%s' % (fam, net, c)
            if k == 'a':
                name = 'a%d.%s' % (rnd.randrange(3), d)
                host(name)
                return qual() + rnd.choice(['a:' + name, 'a']) + cidr()
            if k == 'mx':
                name = 'm%d.%s' % (rnd.randrange(3), d)
                for j in range(rnd.randrange(1, 3)):
                    mxh = 'mx%d.%s' % (j, name)
                    args.append('--mx-host=%s,%s,%d' % (name, mxh, 10 * j))
                    host(mxh)
                return qual() + 'mx:' + name + cidr()
            if k == 'ptr':
                pname = 'p%d.%s' % (rnd.randrange(2), d)
                if rnd.random() < 0.6:
                    args.append('--host-record=%s,%s' % (pname, ip))
                return qual() + rnd.choice(['ptr', 'ptr:' + d,
                                            'ptr:other.test'])
            if k == 'exists':
                name = rnd.choice(['%{l}.e.' + d, '%{i}.e.' + d,
                                   'x.e.' + d, '%{ir}.%{v}.e.' + d])
                if rnd.random() < 0.5:
                    args.append('--host-record=x.e.%s,127.0.0.2' % d)
                return qual() + 'exists:' + name
            if k == 'include' and depth < 3:
                name = 'i%d%d.%s' % (depth, rnd.randrange(9), d)
                r = rnd.random()
                if r < 0.8:
                    txt(name, simple_record(depth + 1))
                elif r < 0.9:
                    txt(name, 'v=spf1 include:' + name)
                return qual() + 'include:' + name
            if k == 'void':
                return qual() + rnd.choice(['a:nx%d.%s' % (rnd.randrange(4), d),
                                            'mx:nx%d.%s' % (rnd.randrange(4), d),
                                            'exists:nx%d.%s' % (rnd.randrange(4), d)])
            if k == 'unknownmod':
                return rnd.choice(['foo=bar', 'x-y.z=%{d}', 'ra=x'])
            if k == 'macro':
                return qual() + rnd.choice(['a:%{d}', 'a:%{o}',
                                            'a:%{d2}', 'a:%{h}'])
            if k == 'bad':
                return rnd.choice(['ip4:10.0.0.1/33', 'a:x', 'mx//129',
                                   'foo', 'exists:%{z}.x.test', 'a:%{d0}',
                                   'ip4:10.0.0.1/024', '-', 'include:'])
            return qual() + 'all'

        top = simple_record(0)
        if rnd.random() < 0.25:
            target = 'r.' + d
            txt(target, simple_record(1))
            top += ' redirect=' + target
        if rnd.random() < 0.2:
            top += ' exp=exp.' + d
            txt('exp.' + d, '%{i} is not one of %{d}s hosts')
        if rnd.random() < 0.05:
            top = 'v=spf1 ' + ' '.join('include:l%d.%s' % (k, d)
                                       for k in range(12))
            for k in range(12):
                txt('l%d.%s' % (k, d), 'v=spf1 ?exists:nx.%s' % d
                    if k % 5 == 0 else 'v=spf1 -ip4:192.0.2.9')
        if rnd.random() < 0.04:
            # two records: permerror.  Never identical to the other:
            # dnspython drops duplicate RRs from an RRset (RFC 2181 5),
            # dnsmasq and lib/dns do not.
            txt(d, 'v=spf1 -ip4:192.0.2.254 -all', True)
        if rnd.random() < 0.05:
            txt(d, 'v=spf10 +all', True)	# not a v=spf1 record
        host(d)
        txt(d, top, True)
        local = rnd.choice(['user', 'first.last', 'a-b', 'x+tag'])
        if rnd.random() < 0.1:
            sender = '-'
            helo = d
        else:
            sender = '%s@%s' % (local, d)
            helo = 'helo.' + d
        if not v6 and rnd.random() < 0.05:
            ip = '::ffff:' + ip
        cases.append('%s\t%s\t%s' % (ip, sender, helo))
    args.extend(['--local=/test/', '--local=/in-addr.arpa/',
                 '--local=/ip6.arpa/'])
    with open(out + '/dnsmasq.args', 'w') as f:
        f.write('\n'.join(args) + '\n')
    with open(out + '/cases', 'w') as f:
        f.write('\n'.join(cases) + '\n')


def pyspf(port, cases):
    import dns.resolver
    import spf
    res = dns.resolver.Resolver(configure=False)
    res.nameservers = ['127.0.0.1']
    res.port = port
    res.lifetime = 5
    dns.resolver.default_resolver = res
    with open(cases) as f:
        for line in f:
            ip, sender, helo = line.rstrip('\n').split('\t')
            q = spf.query(ip, '' if sender == '-' else sender, helo,
                          receiver='receiver.example')
            print(q.check()[0])


if __name__ == '__main__':
    if sys.argv[1] == 'gen':
        gen(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        pyspf(int(sys.argv[2]), sys.argv[3])
