#!/bin/sh
# lmtp.sh -- the LMTP server (src/lmtp.c) end to end, through
# tests/unit/lmtp_server_tool, which runs the real server with hooks that
# accept *@lists.test, refuse deliver() for fail@lists.test with 451,
# and store each message durably as a file.  Clients: Python's
# smtplib.LMTP for ordinary transactions and raw sockets for everything
# a well-behaved client would not do.
#
# Three servers:
#   A  TCP on 127.0.0.1 and ::1, 64 sessions, 2 MB messages, 512 KB data
#      lines: the protocol, limits, misbehaviour, 70 concurrent clients;
#   B  a unix socket (mode 0640, replacing a stale socket file) with a
#      2 s timeout: idle and DATA timeouts, a second server refused;
#   C  deliver() takes 1.5 s: SIGTERM while one session is inside it and
#      others are idle must finish that delivery, tell everyone 421 and
#      exit within a few seconds.
. "${top_srcdir:-.}/tests/lib.sh"
tool="$top_builddir/tests/unit/lmtp_server_tool"
# LMTP_TOOL_WRAPPER (e.g. "valgrind -q --error-exitcode=99") runs the
# servers under a checker by hand; timing checks may then be tight.
tool_cmd="${LMTP_TOOL_WRAPPER:+$LMTP_TOOL_WRAPPER }$tool"
python=/usr/bin/python3
[ -x "$python" ] || python=python3

# start_tool NAME ARGS... -- run the tool; sets $pid; waits for "ready".
start_tool() {
	name=$1; shift
	mkdir -p "$scratch/$name"
	$tool_cmd -d "$scratch/$name" "$@" > "$scratch/$name.out" 2> "$scratch/$name.log" &
	pid=$!
	at_exit "kill $pid 2>/dev/null"
	wait_for "$scratch/$name.out" '^ready' 10
}

# stop_tool PID NAME -- SIGTERM; pass iff it exits 0 within 5 s.
stop_tool() {
	kill -TERM "$1"
	if wait_gone "$1" 5; then
		wait "$1"; rc=$?
		[ $rc -eq 0 ] && grep -q '^stopped' "$scratch/$2.out"
	else
		return 1
	fi
}

# run_py ARGS... -- the Python client; its "ok<TAB>what" and
# "fail<TAB>what<TAB>detail" lines become TAP lines here.
run_py() {
	"$python" "$scratch/client.py" "$@" > "$scratch/py.out" 2> "$scratch/py.err"
	rc=$?
	while IFS='	' read -r status what detail; do
		case $status in
		ok) ok "$what" ;;
		fail) not_ok "$what"; diag "$detail" ;;
		esac
	done < "$scratch/py.out"
	if [ $rc -ne 0 ]; then
		not_ok "python client $1 finished (exit $rc)"
		sed 's/^/# /' "$scratch/py.err" | tail -20
	fi
}

cat > "$scratch/client.py" <<'PY'
import glob, os, signal, socket, smtplib, stat, sys, threading, time

def check(what, cond, detail=''):
    if cond:
        print('ok\t' + what, flush=True)
    else:
        print('fail\t' + what + '\t' + repr(detail)[:300], flush=True)
    return cond

class Raw:
    """A client that sends exactly the bytes it is told to."""
    def __init__(self, addr, family=socket.AF_INET, timeout=15):
        self.s = socket.socket(family, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(addr)
        self.buf = b''
    def send(self, data):
        self.s.sendall(data)
    def line(self):
        while b'\r\n' not in self.buf:
            d = self.s.recv(65536)
            if not d:
                raise EOFError(self.buf)
            self.buf += d
        l, self.buf = self.buf.split(b'\r\n', 1)
        return l.decode('latin-1')
    def reply(self):
        lines = []
        while True:
            l = self.line()
            lines.append(l)
            if len(l) < 4 or l[3] != '-':
                return '\n'.join(lines)
    def replies(self, n):
        return [self.reply() for _ in range(n)]
    def closed(self):
        """True when the server closes the connection (EOF or reset)."""
        try:
            while True:
                d = self.s.recv(65536)
                if not d:
                    return True
                self.buf += d
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True
    def close(self):
        self.s.close()

def stored(d):
    """[(envelope text, message bytes)] of every stored message."""
    out = []
    for f in sorted(glob.glob(os.path.join(d, 'msg-*.eml'))):
        data = open(f, 'rb').read()
        env, msg = data.split(b'\n\n', 1)
        out.append((env.decode('utf-8', 'replace'), msg))
    return out

def find(d, marker):
    return [m for m in stored(d) if marker in m[1]]

def no_tmp(d):
    return not glob.glob(os.path.join(d, 'tmp.*'))

def lmtp_data(c, msg, n):
    """smtplib reads one reply after DATA; LMTP sends one per recipient."""
    first = c.data(msg)
    return [first] + [c.getreply() for _ in range(n - 1)]

def begin(r, mail='MAIL FROM:<author@example.org>', rcpts=('dev@lists.test',)):
    r.reply()
    r.send(b'LHLO client.example\r\n')
    r.reply()
    r.send(mail.encode() + b'\r\n')
    m = r.reply()
    rs = []
    for a in rcpts:
        r.send(b'RCPT TO:<' + a.encode() + b'>\r\n')
        rs.append(r.reply())
    return m, rs

def wait_log(path, text, n=1, secs=10):
    end = time.time() + secs
    while time.time() < end:
        if open(path, errors='replace').read().count(text) >= n:
            return True
        time.sleep(0.1)
    return False

# ---------------------------------------------------------------- A

def test_greeting_lhlo(addr):
    r = Raw(addr)
    g = r.reply()
    check('greeting is 220 HOST LMTP sealist ready', g == '220 lmtp.test LMTP sealist ready', g)
    r.send(b'LHLO client.example\r\n')
    l = r.reply().split('\n')
    want = ['250-lmtp.test', '250-PIPELINING', '250-ENHANCEDSTATUSCODES', '250-8BITMIME',
            '250-SMTPUTF8', '250-SIZE 2000000', '250 XFORWARD NAME ADDR PROTO HELO SOURCE']
    check('LHLO lists PIPELINING ENHANCEDSTATUSCODES 8BITMIME SMTPUTF8 SIZE XFORWARD', l == want, l)
    r.send(b'HELO client.example\r\n')
    check('HELO refused with 500 5.5.1', r.reply().startswith('500 5.5.1'))
    r.send(b'EHLO client.example\r\n')
    check('EHLO refused with 500 5.5.1', r.reply().startswith('500 5.5.1'))
    r.send(b'VRFY dev@lists.test\r\n')
    check('VRFY answers 252', r.reply().startswith('252 '))
    r.send(b'NOOP\r\n')
    check('NOOP answers 250 2.0.0', r.reply().startswith('250 2.0.0'))
    r.send(b'QUIT\r\n')
    check('QUIT answers 221 2.0.0', r.reply().startswith('221 2.0.0'))
    check('QUIT closes the connection', r.closed())

def test_three_rcpts(addr, d):
    c = smtplib.LMTP(addr[0], addr[1])
    c.ehlo('client.example')
    code, _ = c.mail('author@example.org', ['BODY=8BITMIME', 'SIZE=100'])
    check('MAIL with BODY=8BITMIME SIZE=100: 250', code == 250, code)
    codes = [c.rcpt(a)[0] for a in ('dev@lists.test', 'dev-request@lists.test', 'Dev-Owner@LISTS.test')]
    check('three recipients accepted at RCPT', codes == [250] * 3, codes)
    msg = b'Subject: three\r\nMessage-ID: <three@example.org>\r\n\r\nHello \xc3\xa9\r\n'
    reps = lmtp_data(c, msg, 3)
    check('three replies after DATA, all 250 2.1.5',
          [x[0] for x in reps] == [250] * 3 and all(x[1].startswith(b'2.1.5') for x in reps), reps)
    check('replies name the recipients in RCPT order',
          [x[1].split()[1] for x in reps] == [b'<dev@lists.test>', b'<dev-request@lists.test>', b'<Dev-Owner@LISTS.test>'], reps)
    c.quit()
    m = find(d, b'<three@example.org>')
    check('the message is stored once', len(m) == 1, len(m))
    if m:
        env, body = m[0]
        check('stored octets are exactly the message', body == msg, body[:200])
        check('stored envelope has the 3 recipients and their routes',
              env.count('rcpt: ') == 3 and 'rcpt: <Dev-Owner@LISTS.test> route=Dev-Owner@LISTS.test' in env, env)
        check('stored envelope has sender, LHLO, 8BITMIME and SIZE',
              'mail-from: <author@example.org>' in env and 'lhlo: client.example' in env
              and '8bitmime: 1' in env and 'size: 100' in env, env)
    check('no temporary file left behind', no_tmp(d))

def test_unknown_rcpt(addr, d):
    c = smtplib.LMTP(addr[0], addr[1])
    c.ehlo('client.example')
    c.mail('')
    r1 = c.rcpt('dev@lists.test')
    r2 = c.rcpt('nobody@example.org')
    r3 = c.rcpt('postmaster')
    r4 = c.rcpt('dev-owner@lists.test')
    check('unknown recipient among valid ones: 550 5.1.1', r2[0] == 550 and r2[1].startswith(b'5.1.1'), r2)
    check('<postmaster> is parsed and left to the hook (550 5.1.1, not 501)', r3[0] == 550 and b'5.1.1' in r3[1], r3)
    check('the valid ones get 250', r1[0] == 250 and r4[0] == 250, (r1, r4))
    reps = lmtp_data(c, b'Subject: unknown\r\n\r\nmixed\r\n', 2)
    check('two replies after DATA for two accepted recipients', [x[0] for x in reps] == [250, 250], reps)
    c.quit()
    m = find(d, b'Subject: unknown')
    check('stored with the two accepted recipients and the null sender',
          len(m) == 1 and m[0][0].count('rcpt: ') == 2 and 'mail-from: <>' in m[0][0], m)

def test_deliver_fails(addr, d):
    before = len(stored(d))
    c = smtplib.LMTP(addr[0], addr[1])
    c.ehlo('x')
    c.mail('a@example.org')
    c.rcpt('dev@lists.test')
    c.rcpt('fail@lists.test')
    reps = lmtp_data(c, b'Subject: fails\r\n\r\nx\r\n', 2)
    check('deliver() failing gives its 451 4.3.0 to each recipient',
          [x[0] for x in reps] == [451, 451] and all(x[1].startswith(b'4.3.0') for x in reps), reps)
    code = c.noop()[0]
    check('the session goes on after a failed delivery', code == 250, code)
    c.quit()
    check('nothing stored when deliver() fails', len(stored(d)) == before)

def test_pipelining(addr, d):
    r = Raw(addr)
    r.reply()
    r.send(b'LHLO pipe.example\r\nMAIL FROM:<p@example.org>\r\nRCPT TO:<dev@lists.test>\r\n'
           b'RCPT TO:<nobody@example.org>\r\nRCPT TO:<dev-request@lists.test>\r\nDATA\r\n')
    reps = r.replies(6)
    codes = [x[:3] for x in reps]
    check('pipelined LHLO/MAIL/RCPT/RCPT/RCPT/DATA answered in order',
          codes == ['250', '250', '250', '550', '250', '354'], reps)
    r.send(b'Subject: pipelined\r\n\r\nbody\r\n.\r\nMAIL FROM:<q@example.org>\r\n'
           b'RCPT TO:<dev@lists.test>\r\nDATA\r\n')
    reps = r.replies(5)
    check('end of data, then pipelined MAIL/RCPT/DATA: 250 250 250 250 354',
          [x[:3] for x in reps] == ['250', '250', '250', '250', '354'], reps)
    r.send(b'Subject: pipelined 2\r\n\r\n..dot line\r\n.\r\nQUIT\r\n')
    reps = r.replies(2)
    check('second message and QUIT in one write: 250 then 221', [x[:3] for x in reps] == ['250', '221'], reps)
    m = find(d, b'Subject: pipelined\r\n')
    check('first pipelined message stored with 2 recipients', len(m) == 1 and m[0][0].count('rcpt: ') == 2, m)
    m = find(d, b'Subject: pipelined 2')
    check('dot-unstuffing: "..dot line" stored as ".dot line"',
          len(m) == 1 and m[0][1] == b'Subject: pipelined 2\r\n\r\n.dot line\r\n', m)

def test_big_pipeline(addr):
    # 20000 NOOPs in one write, read only afterwards: the server must
    # keep reading while its replies wait, or both sides block.
    r = Raw(addr, timeout=30)
    r.reply()
    n = 20000
    t = threading.Thread(target=r.send, args=(b'NOOP\r\n' * n,))
    t.start()
    t.join(20)
    sent = not t.is_alive()
    got = 0
    try:
        for _ in range(n):
            if r.reply().startswith('250'):
                got += 1
    except Exception:
        pass
    check('20000 pipelined NOOPs written before reading: no deadlock, 20000 replies',
          sent and got == n, (sent, got))
    r.close()

def test_dot_stuffing_raw(addr, d):
    r = Raw(addr)
    begin(r)
    r.send(b'DATA\r\n')
    r.reply()
    r.send(b'Subject: dots\r\n\r\n..\r\n...two\r\n.x\r\na.b\r\n. \r\n.\r\n')
    rep = r.reply()
    check('dot-stuffed message accepted', rep.startswith('250 2.1.5'), rep)
    m = find(d, b'Subject: dots')
    check('dot-unstuffing of ".." "..." ".x" ". " lines', len(m) == 1 and
          m[0][1] == b'Subject: dots\r\n\r\n.\r\n..two\r\nx\r\na.b\r\n \r\n', m)
    r.close()

def test_size_limits(addr, d):
    r = Raw(addr)
    r.reply()
    r.send(b'LHLO x\r\n')
    r.reply()
    r.send(b'MAIL FROM:<a@example.org> SIZE=2000001\r\n')
    rep = r.reply()
    check('SIZE= above the limit: 552 5.3.4 at MAIL', rep.startswith('552 5.3.4'), rep)
    r.send(b'MAIL FROM:<a@example.org> SIZE=2000000\r\n')
    rep = r.reply()
    check('SIZE= at the limit: 250', rep.startswith('250'), rep)
    r.send(b'RCPT TO:<dev@lists.test>\r\nRCPT TO:<dev-owner@lists.test>\r\nDATA\r\n')
    r.replies(3)
    body = b'Subject: too big\r\n\r\n' + (b'x' * 998 + b'\r\n') * 2100 + b'.\r\n'
    r.send(body)
    reps = r.replies(2)
    check('body above the limit: 552 5.3.4 for each recipient after the final dot',
          all(x.startswith('552 5.3.4') for x in reps), reps)
    r.send(b'NOOP\r\n')
    check('the session goes on after an oversized body', r.reply().startswith('250'))
    check('nothing stored for the oversized body', not find(d, b'Subject: too big'))
    r.close()

def test_long_lines(addr, d):
    r = Raw(addr)
    r.reply()
    r.send(b'NOOP ' + b'x' * (1024 * 1024) + b'\r\nNOOP\r\n')
    reps = r.replies(2)
    check('a 1 MB command line: 500 5.5.2, then the next command works',
          reps[0].startswith('500 5.5.2') and reps[1].startswith('250'), reps)
    r.send(b'LHLO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<dev@lists.test>\r\nDATA\r\n')
    r.replies(4)
    r.send(b'Subject: long line\r\n\r\n' + b'y' * (1024 * 1024) + b'\r\n.\r\n')
    rep = r.reply()
    check('a 1 MB DATA line (limit 512 KB): 552 5.3.4 after the final dot', rep.startswith('552 5.3.4'), rep)
    check('nothing stored for the long-line message', not find(d, b'Subject: long line'))
    r.send(b'MAIL FROM:<a@example.org>\r\nRCPT TO:<dev@lists.test>\r\nDATA\r\n')
    r.replies(3)
    line = b'z' * (300 * 1024)
    r.send(b'Subject: 300k line\r\n\r\n' + line + b'\r\n.\r\n')
    rep = r.reply()
    check('a 300 KB DATA line (under the limit) is accepted', rep.startswith('250'), rep)
    m = find(d, b'Subject: 300k line')
    check('the 300 KB line is stored intact', len(m) == 1 and line in m[0][1])
    r.close()

def test_junk(addr, d):
    r = Raw(addr)
    r.reply()
    r.send(b'\x00\x01\x02\xff\xfe junk\r\nNO\x00OP\r\nNOOP\nMAIL FROM:<a\x00b@example.org>\r\nNOOP\r\n')
    reps = r.replies(5)
    check('binary junk, a NUL in a verb, a bare LF: 500 5.5.2 each',
          all(x.startswith('500 5.5.2') for x in reps[:3]), reps)
    check('NUL inside an argument: 500 5.5.2, then NOOP works',
          reps[3].startswith('500 5.5.2') and reps[4].startswith('250'), reps)
    r.close()
    r = Raw(addr)
    r.reply()
    r.send(bytes(range(1, 256)) * 4 + b'\r\n' + b'\x80junk\r\n' * 30)
    reps = []
    try:
        while True:
            reps.append(r.reply())
    except EOFError:
        pass
    check('more than 20 errors: 421 4.7.0 and the session is closed',
          len(reps) == 22 and reps[-1].startswith('421 4.7.0'), reps[-3:])
    r.close()

def test_sequence_errors(addr):
    r = Raw(addr)
    r.reply()
    r.send(b'MAIL FROM:<a@example.org>\r\n')
    check('MAIL before LHLO: 503 5.5.1', r.reply().startswith('503 5.5.1'))
    r.send(b'LHLO x\r\nRCPT TO:<dev@lists.test>\r\nDATA\r\n')
    reps = r.replies(3)
    check('RCPT and DATA before MAIL: 503 5.5.1', reps[1].startswith('503 5.5.1') and reps[2].startswith('503 5.5.1'), reps)
    r.send(b'MAIL FROM:<a@example.org>\r\nDATA\r\n')
    reps = r.replies(2)
    check('DATA with no recipient: 503 5.5.1', reps[1].startswith('503 5.5.1'), reps)
    r.send(b'RCPT TO:<nobody@example.org>\r\nDATA\r\n')
    reps = r.replies(2)
    check('DATA when every recipient was refused: 503 5.5.1', reps[1].startswith('503 5.5.1'), reps)
    r.send(b'MAIL FROM:<b@example.org>\r\n')
    check('nested MAIL: 503 5.5.1', r.reply().startswith('503 5.5.1'))
    r.send(b'RCPT TO:<dev@lists.test>\r\nRSET\r\nDATA\r\n')
    reps = r.replies(3)
    check('RSET clears the transaction (DATA then 503)', reps[1].startswith('250') and reps[2].startswith('503'), reps)
    r.send(b'MAIL FROM:bad@example.org\r\nMAIL FROM:<a b@example.org>\r\nMAIL FROM:<a@example.org> FOO=1\r\n'
           b'MAIL FROM:<a@example.org> BODY=BINARYMIME\r\nFROB\r\nDATA x\r\n')
    reps = r.replies(6)
    check('bad syntax: 501 5.5.4, 501 5.1.7, 555 5.5.4, 555 5.5.4, 500 5.5.2, 501 5.5.4',
          [x[:9] for x in reps] == ['501 5.5.4', '501 5.1.7', '555 5.5.4', '555 5.5.4', '500 5.5.2', '501 5.5.4'], reps)
    r.send(b'MAIL FROM:<a@example.org>\r\nRCPT TO:<a b@lists.test>\r\nRCPT TO:<dev@lists.test> NOTIFY=NEVER\r\n')
    reps = r.replies(3)
    check('bad RCPT syntax: 501 5.1.3; RCPT parameter: 555 5.5.4',
          reps[1].startswith('501 5.1.3') and reps[2].startswith('555 5.5.4'), reps)
    r.send(b'XFORWARD ADDR=192.0.2.1\r\n')
    check('XFORWARD inside a transaction: 503 5.5.1', r.reply().startswith('503 5.5.1'))
    r.send(b'RSET\r\nXFORWARD ADDR=not-an-ip\r\n')
    reps = r.replies(2)
    check('bad XFORWARD value: 501 5.5.4', reps[1].startswith('501 5.5.4'), reps)
    r.close()

def test_too_many_rcpts(addr):
    r = Raw(addr)
    r.reply()
    r.send(b'LHLO x\r\nMAIL FROM:<a@example.org>\r\n' +
           b''.join(b'RCPT TO:<r%d@lists.test>\r\n' % i for i in range(101)))
    reps = r.replies(103)
    check('100 recipients accepted, the 101st gets 452 4.5.3',
          all(x.startswith('250') for x in reps[2:102]) and reps[102].startswith('452 4.5.3'), reps[100:])
    r.close()

def test_disconnect_mid_data(addr, d, log):
    before = len(stored(d))
    ends = open(log).read().count('event=data-aborted')
    r = Raw(addr)
    begin(r, rcpts=('dev@lists.test', 'dev-owner@lists.test'))
    r.send(b'DATA\r\n')
    r.reply()
    r.send(b'Subject: cut\r\n\r\npartial body\r\n')
    r.close()
    check('disconnect mid-DATA is logged as data-aborted', wait_log(log, 'event=data-aborted', ends + 1))
    check('disconnect mid-DATA: nothing stored', len(stored(d)) == before and not find(d, b'Subject: cut'))

def test_xforward(addr, d):
    r = Raw(addr)
    r.reply()
    r.send(b'LHLO mx.example\r\nXFORWARD NAME=mail.example.org ADDR=192.0.2.1 PROTO=ESMTP\r\n'
           b'XFORWARD HELO=helo+2Eexample SOURCE=REMOTE\r\n')
    reps = r.replies(3)
    check('two XFORWARD commands: 250 each', reps[1].startswith('250') and reps[2].startswith('250'), reps)
    r.send(b'MAIL FROM:<x@example.org> SMTPUTF8\r\nRCPT TO:<dev@lists.test>\r\nDATA\r\n')
    r.replies(3)
    r.send(b'Subject: xforward\r\n\r\nx\r\n.\r\n')
    r.reply()
    r.send(b'MAIL FROM:<x@example.org>\r\nRCPT TO:<dev@lists.test>\r\nDATA\r\n')
    r.replies(3)
    r.send(b'Subject: after xforward\r\n\r\nx\r\n.\r\n')
    r.reply()
    r.send(b'XFORWARD ADDR=IPV6:2001:db8::1 NAME=[UNAVAILABLE]\r\nMAIL FROM:<x@example.org>\r\n'
           b'RCPT TO:<dev@lists.test>\r\nDATA\r\n')
    r.replies(4)
    r.send(b'Subject: xforward v6\r\n\r\nx\r\n.\r\n')
    r.reply()
    r.close()
    m = find(d, b'Subject: xforward\r\n')
    env = m[0][0] if m else ''
    check('XFORWARD values reach deliver(): addr, name, helo (xtext decoded), proto, source',
          'xforward-addr: 192.0.2.1' in env and 'xforward-name: mail.example.org' in env
          and 'xforward-helo: helo.example' in env and 'xforward-proto: ESMTP' in env
          and 'xforward-source: REMOTE' in env, env)
    check('SMTPUTF8 reaches deliver()', 'smtputf8: 1' in env, env)
    m = find(d, b'Subject: after xforward')
    check('XFORWARD does not outlive its transaction', m and 'xforward-addr: -' in m[0][0], m)
    m = find(d, b'Subject: xforward v6')
    check('XFORWARD IPv6 address; [UNAVAILABLE] name left empty',
          m and 'xforward-addr: 2001:db8::1' in m[0][0] and 'xforward-name: \n' in m[0][0] + '\n', m)

def test_ipv6(port6, d):
    c = smtplib.LMTP('::1', port6)
    c.ehlo('v6.example')
    c.mail('a@example.org')
    c.rcpt('dev@lists.test')
    reps = lmtp_data(c, b'Subject: over ipv6\r\n\r\nx\r\n', 1)
    c.quit()
    check('a transaction over [::1]', reps[0][0] == 250 and find(d, b'Subject: over ipv6'), reps)

def test_concurrent(addr, d, log):
    time.sleep(1.5)        # earlier sessions finish closing
    conns, greet = [], []
    for i in range(70):
        r = Raw(addr)
        conns.append(r)
        greet.append(r.reply())
    served = [r for r, g in zip(conns, greet) if g.startswith('220')]
    refused = [r for r, g in zip(conns, greet) if g.startswith('421 4.3.2')]
    check('70 concurrent clients: 64 greeted with 220', len(served) == 64, len(served))
    check('70 concurrent clients: the other 6 get 421 4.3.2', len(refused) == 6, [g for g in greet if not g.startswith('220')])
    check('the refused ones are closed', all(r.closed() for r in refused))
    results = [None] * len(served)
    def one(i, r):
        try:
            r.send(b'LHLO c%d\r\nMAIL FROM:<c%d@example.org>\r\nRCPT TO:<dev@lists.test>\r\nDATA\r\n' % (i, i))
            r.replies(4)
            r.send(b'Subject: concurrent %d\r\n\r\nbody\r\n.\r\nQUIT\r\n' % i)
            results[i] = r.replies(2)
        except Exception as e:
            results[i] = e
    ts = [threading.Thread(target=one, args=(i, r)) for i, r in enumerate(served)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    ok250 = sum(1 for x in results if isinstance(x, list) and x[0].startswith('250'))
    check('64 concurrent transactions all get 250', ok250 == 64, [x for x in results if not (isinstance(x, list) and x[0].startswith('250'))][:3])
    check('64 concurrent messages stored', len(find(d, b'Subject: concurrent ')) == 64)
    for r in conns:
        r.close()
    g = ''
    for _ in range(50):
        r = Raw(addr)
        g = r.reply()
        r.close()
        if g.startswith('220'):
            break
        time.sleep(0.1)
    check('slots are freed when sessions end: a new client gets 220', g.startswith('220'), g)

def main_a(host, port, port6, d, log):
    addr = (host, int(port))
    test_greeting_lhlo(addr)
    test_three_rcpts(addr, d)
    test_unknown_rcpt(addr, d)
    test_deliver_fails(addr, d)
    test_pipelining(addr, d)
    test_big_pipeline(addr)
    test_dot_stuffing_raw(addr, d)
    test_size_limits(addr, d)
    test_long_lines(addr, d)
    test_junk(addr, d)
    test_sequence_errors(addr)
    test_too_many_rcpts(addr)
    test_disconnect_mid_data(addr, d, log)
    test_xforward(addr, d)
    test_ipv6(int(port6), d)
    test_concurrent(addr, d, log)
    check('no temporary files left in the store', no_tmp(d))

# ---------------------------------------------------------------- B

def main_b(path, d, log):
    c = smtplib.LMTP(path)
    c.ehlo('unix.example')
    c.mail('a@example.org')
    c.rcpt('dev@lists.test')
    reps = lmtp_data(c, b'Subject: over unix\r\n\r\nx\r\n', 1)
    c.quit()
    check('a transaction over the unix socket (smtplib.LMTP)', reps[0][0] == 250 and find(d, b'Subject: over unix'), reps)
    r = Raw(path, socket.AF_UNIX)
    r.reply()
    t0 = time.time()
    rep = r.reply()
    dt = time.time() - t0
    check('idle for 2 s: 421 4.4.2', rep.startswith('421 4.4.2'), rep)
    check('the timeout took about 2 s', 1.5 < dt < 5, dt)
    check('the connection is closed after the timeout', r.closed())
    r = Raw(path, socket.AF_UNIX)
    begin(r)
    r.send(b'DATA\r\n')
    r.reply()
    r.send(b'Subject: stalled\r\n\r\nhalf')
    rep = r.reply()
    check('stalled inside DATA for 2 s: 421 4.4.2', rep.startswith('421 4.4.2'), rep)
    check('nothing stored from the stalled DATA', not find(d, b'Subject: stalled'))

# ---------------------------------------------------------------- C

def main_c(host, port, d, pid, outfile):
    addr = (host, int(port))
    idle = []
    for i in range(3):
        r = Raw(addr)
        r.reply()
        idle.append(r)
    r = Raw(addr)
    begin(r)
    r.send(b'DATA\r\n')
    r.reply()
    r.send(b'Subject: during stop\r\n\r\nx\r\n.\r\n')
    time.sleep(0.5)                    # now inside the 1.5 s deliver()
    t0 = time.time()
    os.kill(pid, signal.SIGTERM)
    rep = r.reply()
    check('a delivery in progress at SIGTERM completes with 250', rep.startswith('250'), rep)
    rep = r.reply()
    check('then that session gets 421 4.3.2', rep.startswith('421 4.3.2'), rep)
    reps = [x.reply() for x in idle]
    check('idle sessions get 421 4.3.2 at stop', all(x.startswith('421 4.3.2') for x in reps), reps)
    check('the message delivered during the stop is stored', len(find(d, b'Subject: during stop')) == 1)
    while time.time() - t0 < 10 and 'stopped' not in open(outfile).read():
        time.sleep(0.05)
    check('lmtp_server_stop() returned within 5 s of SIGTERM', time.time() - t0 < 5, time.time() - t0)

mode = sys.argv[1]
if mode == 'a':
    main_a(*sys.argv[2:])
elif mode == 'b':
    main_b(*sys.argv[2:])
elif mode == 'c':
    main_c(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
PY

# listen_port NAME N -- the port of the N-th "listen" line of a tool.
listen_port() {
	sed -n 's/^listen .*:\([0-9]*\)$/\1/p' "$scratch/$1.out" | sed -n "${2}p"
}

# ---- A: TCP
if start_tool a -l 127.0.0.1:0 -l '[::1]:0' -s 2000000 -L 524288 -t 30; then
	ok "server A started on 127.0.0.1 and [::1]"
	pa=$pid
	run_py a 127.0.0.1 "$(listen_port a 1)" "$(listen_port a 2)" "$scratch/a" "$scratch/a.log"
	check "session start and end logged with session id and client" \
		grep -q 'event=session-start session=[0-9a-f]*\.[0-9]* client=127.0.0.1:' "$scratch/a.log"
	check "delivered message logged with size and recipients" \
		grep -q 'event=deliver session=.* size=[0-9]* rcpts=3 status=ok' "$scratch/a.log"
	check "session end logged with its reason" \
		grep -q 'event=session-end session=.* reason=quit' "$scratch/a.log"
	check "server A stops on SIGTERM within 5 s, exit 0" stop_tool $pa a
else
	not_ok "server A started"; cat "$scratch/a.log" | sed 's/^/# /'
fi

# ---- B: a unix socket replacing a stale one, 2 s timeouts
sock="$scratch/lmtp.sock"
"$python" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$sock"
check "a stale socket file exists before the start" test -S "$sock"
if start_tool b -l "unix:$sock" -m 0640 -t 2; then
	ok "server B started on a unix socket over a stale one"
	pb=$pid
	check "the socket has mode 0640" [ "$(stat -c %a "$sock")" = 640 ]
	check "listen line names the socket" grep -q "^listen unix:$sock\$" "$scratch/b.out"
	check_fails "a second server on a live socket is refused" \
		"$tool" -d "$scratch/b" -l "unix:$sock" 2> "$scratch/b2.err"
	check "... saying the address is in use" grep -q 'address in use' "$scratch/b2.err"
	run_py b "$sock" "$scratch/b" "$scratch/b.log"
	check "timeouts logged as the session's end reason" grep -q 'reason=timeout' "$scratch/b.log"
	check "server B stops on SIGTERM within 5 s, exit 0" stop_tool $pb b
	check_fails "the socket file is removed at stop" test -e "$sock"
else
	not_ok "server B started"; sed 's/^/# /' "$scratch/b.log"
fi
: > "$scratch/notasocket"
check_fails "a path that is not a socket is never replaced" \
	"$tool" -d "$scratch/b" -l "unix:$scratch/notasocket" 2>/dev/null
check "... and the file is still a plain file" test -f "$scratch/notasocket"
check_fails "an unusable TCP address is an error" \
	"$tool" -d "$scratch/b" -l "192.0.2.77:25" 2>/dev/null

# ---- C: stop while sessions are open, one inside deliver()
if start_tool c -l 127.0.0.1:0 -w 1500; then
	ok "server C started (deliver takes 1.5 s)"
	pc=$pid
	run_py c 127.0.0.1 "$(listen_port c 1)" "$scratch/c" "$pc" "$scratch/c.out"
	wait_gone $pc 5
	wait $pc; rc=$?
	check "server C exited 0 after SIGTERM" [ $rc -eq 0 ]
	check "server C printed stopped" grep -q '^stopped' "$scratch/c.out"
	check "shutdown logged as the sessions' end reason" grep -q 'reason=shutdown' "$scratch/c.log"
else
	not_ok "server C started"
fi

check_fails "no sanitizer or valgrind reports in the servers' logs" \
	grep -q 'ERROR: \|runtime error\|ThreadSanitizer\|==[0-9]*== ' \
	"$scratch/a.log" "$scratch/b.log" "$scratch/c.log"

tap_done
