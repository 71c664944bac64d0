"""Runs a command in a pseudo-terminal, as a person at a terminal would, driven by a script of steps.

Usage: python3 ptyRun.py '<json steps>' cmd args...
Each step is ["send", text] or ["expect", regex] (waits, up to 20 s, for the output so far to match). Prints
everything the terminal showed, then a last line "EXIT <code>", and exits 0 (the caller reads the code from there).
"""
import json
import os
import pty
import re
import select
import sys
import time

steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])

output = b""


def read_some(timeout):
    global output
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return True
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        return False
    if not chunk:
        return False
    output += chunk
    return True


alive = True
for kind, value in steps:
    if kind == "send":
        os.write(fd, value.encode())
    else:
        deadline = time.time() + 20
        while alive and not re.search(value.encode(), output) and time.time() < deadline:
            alive = read_some(0.1)
        if not re.search(value.encode(), output):
            sys.stdout.write(output.decode(errors="replace") + "\nTIMEOUT waiting for " + value + "\n")
            os.kill(pid, 9)
            break
deadline = time.time() + 20
while alive and time.time() < deadline:
    alive = read_some(0.1)
_, status = os.waitpid(pid, 0)
sys.stdout.write(output.decode(errors="replace"))
sys.stdout.write("\nEXIT %d\n" % (os.waitstatus_to_exitcode(status)))
