#!/usr/bin/python3
"""
NAME
    answer_tty.py - run a program on a terminal and answer its password prompts
SUMMARY
    answer_tty.py ANSWER1 ANSWER2 PROGRAM ARGS...
DESCRIPTION
    Runs PROGRAM on a new pseudo-terminal (so that it finds no pipe on its
    standard input and asks on /dev/tty), waits for "New password" and
    types ANSWER1, waits for "same again" and types ANSWER2, then prints
    everything the terminal showed and exits with PROGRAM's status.  The
    answers are typed only after each prompt, because a program that
    turns echo off with TCSAFLUSH drops what was typed before.  Used by
    tests/e2e/web_login.sh for `sealist admin add` on a terminal.
"""
import os
import pty
import select
import sys
import time

answers, cmd = sys.argv[1:3], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(cmd[0], cmd)
shown = b""


def wait_for(text, limit=20.0):
    """Read the terminal until text appears, it closes, or limit seconds pass."""
    global shown
    end = time.time() + limit
    while text not in shown and time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            data = os.read(fd, 1024)
        except OSError:     # the program exited: the terminal is gone
            return
        if not data:
            return
        shown += data


for prompt, answer in zip((b"New password", b"same again"), answers):
    wait_for(prompt)
    time.sleep(0.2)         # let it turn echo off after printing the prompt
    os.write(fd, answer.encode() + b"\n")
wait_for(b"\0 never shown", 5.0)
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode(errors="replace"))
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)
