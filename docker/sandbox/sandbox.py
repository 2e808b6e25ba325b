"""studybot sandbox supervisor: PID 1 of a one-shot container.

Protocol (version 2). Everything this process writes to its standard output is a JSON line (a
"frame"); learner code never writes there: every case runs in a process started from a clean
interpreter (case.py), whose stdout, stderr and value pipes lead back to this process.

  -> {"t":"ready","v":2,"python":"3.13.5"}        written once the clean interpreter is up
  <- one JSON job line on stdin:
       {"v":2,"mode":"run"|"stdio"|"call"|"pytest"|"check","code":"...","target":"inventory",
        "seconds":5,"outputBytes":65536,
        "cases":[{"stdin":"...","call":"...","script":"...","module":"...","tool":"mypy"|"black",
                  "watch":true}]}
     ("check" cases read the code as data and run no part of it: mypy --strict or black on main.py.)
  -> {"t":"start","i":0}                           just before case i starts
  -> {"t":"end","i":0,"exitCode":0,"signal":null,"reason":null|"timeout"|"output_limit"|"memory",
      "stdout":"<base64>","stderr":"<base64>","value":"<base64>"|null,
      "stdoutTruncated":false,"stderrTruncated":false,"elapsedMs":12.5,
      "observed":{"threads":3|null,"processes":0|null,"started":3,"calls":{"label":{...}}}}
  -> {"t":"done"}                                  after the last case; then the supervisor exits
  -> {"t":"fatal","message":"..."}                 the supervisor cannot do its job

Every field of an end frame is measured here, outside the learner's processes: the exit status
comes from the kernel (the case process is this process's child), the reason from this process's
own clock, byte counts and the cgroup's OOM counter, `observed` from /proc and from the calls the
probe served. Nothing the learner's code writes decides a status. Expected outputs never come here:
the runner compares outside the container.

Between cases everything a case could leave for the next one is removed: its processes, the files
under /work, /tmp, /dev/shm and /dev/mqueue, and System V IPC objects.
"""

import base64
import ctypes
import json
import os
import select
import signal
import socket
import sys
import time
import traceback

PROTOCOL = 2
WORK = "/work"
HERE = os.path.dirname(os.path.abspath(__file__))
CASE_PY = os.path.join(HERE, "case.py")
FIXED_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/tmp",
    "PYTHONDONTWRITEBYTECODE": "1",
}
# Hypothesis's Unicode tables, built when the image was (Dockerfile): building them on first use of
# st.text() takes more memory than a sandbox has.
HYPOTHESIS_UNICODE = "/opt/studybot/hypothesis/unicode_data"
# After the case process exits, how long processes it left behind may keep its pipes open.
STRAGGLER_GRACE = 0.05
MAX_JOB_BYTES = 64 * 1024 * 1024
SCRATCH = ("/work", "/tmp", "/dev/shm", "/dev/mqueue")
PROBE_ADDRESS = "\0studybot-probe"
SAMPLE_INTERVAL = 0.005
# The case's time limit runs from when its own code starts; its start-up (a fork and case.py's own
# preparations, slow only on a busy machine) may take this long on top.
BOOT_GRACE = 5.0
MAX_PROBE_CONNECTIONS = 256
MAX_PROBE_LABELS = 64
ZYGOTE_TIMEOUT = 60.0

# Packages that take a second or more to import on one CPU (Pydantic 2 builds its validators at
# import time). When the job's code imports one, the clean interpreter imports it before the first
# case, so no case imports it again within its time limit.
WARM_IMPORTS = frozenset({
    "aiohttp", "bs4", "fastapi", "httpx", "hypothesis", "jwt", "pydantic", "sqlalchemy", "starlette",
    "uvicorn", "websockets",
})
MAX_SCAN_BYTES = 256 * 1024
# What a check job's tools import (a second or so on one CPU): loaded once before its first case.
CHECK_IMPORTS = ["mypy.api", "mypy.main", "mypy.build", "black"]
CHECK_TOOLS = ("mypy", "black")


def emit(*frames):
    data = b"".join(json.dumps(f, separators=(",", ":")).encode() + b"\n" for f in frames)
    view = memoryview(data)
    while view:
        try:
            n = os.write(1, view)
        except InterruptedError:
            continue
        view = view[n:]


def b64(data):
    return base64.b64encode(bytes(data)).decode("ascii")


LIBC = ctypes.CDLL(None, use_errno=True)


def close_from(lowest):
    """Closes every descriptor from `lowest` up (the ones open, as /proc lists them: far quicker
    than closing the whole range where the container's seccomp profile refuses close_range)."""
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:  # not dumpable: /proc/self/fd is not ours to read; the limit is small anyway
        import resource

        os.closerange(lowest, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
        return
    for name in names:
        fd = int(name)
        if fd >= lowest:
            try:
                os.close(fd)
            except OSError:
                pass


def set_dumpable(value):
    if LIBC.prctl(4, value, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def read_job():
    chunks = []
    size = 0
    while True:
        try:
            chunk = os.read(0, 1 << 16)
        except InterruptedError:
            continue
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if b"\n" in chunk or size > MAX_JOB_BYTES:
            break
    data = b"".join(chunks)
    line = data.split(b"\n", 1)[0]
    return json.loads(line) if line.strip() else None


def oom_kills():
    """The container's cgroup OOM-kill counter (v1 or v2), or None when it cannot be read."""
    for path in ("/sys/fs/cgroup/memory/memory.oom_control", "/sys/fs/cgroup/memory.events"):
        try:
            with open(path, "rb") as f:
                for line in f.read().split(b"\n"):
                    if line.startswith(b"oom_kill "):
                        return int(line.split()[1])
        except OSError:
            continue
    return None


def last_pid():
    """The last process or thread id handed out in this container's pid namespace."""
    try:
        with open("/proc/sys/kernel/ns_last_pid", "rb") as f:
            return int(f.read())
    except (OSError, ValueError):
        return None


def other_pids(exclude):
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            pid = int(name)
            if pid != 1 and pid not in exclude:
                pids.append(pid)
    return pids


def task_state(pid):
    """(state letter, thread count) of a process, or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            data = f.read()
    except OSError:
        return None
    rest = data[data.rfind(b")") + 2:].split()
    try:
        return rest[0], int(rest[17])
    except (IndexError, ValueError):
        return None


class Reaper:
    """Collects exit statuses of every child (PID 1 inherits all orphans)."""

    def __init__(self):
        self.statuses = {}

    def reap(self):
        """Collects every exited child; returns whether any child is still alive."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return False
            except InterruptedError:
                continue
            if pid == 0:
                return True
            self.statuses[pid] = status

    def kill_all(self, spare=(), limit=5.0):
        """SIGKILL every process in the container but this one and `spare`, until none is left.

        kill(-1) would take `spare` (the clean interpreter, same uid) too, so each process is
        signalled by pid, again and again while a fork bomb keeps making new ones."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            self.reap()
            live = [pid for pid in other_pids(spare) if (task_state(pid) or (b"Z",))[0] not in (b"Z", b"X")]
            if not live:
                # Zombies left behind belong to killed parents: they come to us and are reaped now.
                self.reap()
                return
            for pid in live:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.0002)


# ----------------------------------------------------------------------------------------------
# The clean interpreter cases start from.


class Zygote:
    """case.py waiting for requests on a control socket; restarted if learner code kills it."""

    def __init__(self, reaper):
        self.reaper = reaper
        self.pid = None
        self.control = None
        self.imports = []

    def start(self):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            try:
                null = os.open("/dev/null", os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.dup2(theirs.fileno(), 3)
                close_from(4)
                os.execve(sys.executable, [sys.executable, "-I", CASE_PY], FIXED_ENV)
            finally:
                os._exit(70)
        theirs.close()
        self.pid = pid
        self.control = ours
        self.expect(b"ready")
        if self.imports:
            self.request(b"import " + json.dumps(self.imports).encode(), b"imported")

    def alive(self):
        self.reaper.reap()
        return self.pid is not None and self.pid not in self.reaper.statuses

    def stop(self):
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            self.reaper.statuses.pop(self.pid, None)
            self.pid = None

    def ensure(self):
        """A live zygote, continued if learner code stopped it, restarted if it killed it."""
        if not self.alive():
            self.stop()
            self.start()
        else:
            try:
                os.kill(self.pid, signal.SIGCONT)
            except OSError:
                pass

    def expect(self, word):
        deadline = time.monotonic() + ZYGOTE_TIMEOUT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("the clean interpreter did not answer")
            try:
                ready, _, _ = select.select([self.control], [], [], left)
            except InterruptedError:
                continue
            if not ready:
                continue
            try:
                answer = self.control.recv(64)
            except InterruptedError:
                continue
            if answer != word:
                raise RuntimeError("the clean interpreter answered %r" % answer[:40])
            return

    def request(self, message, answer, fds=()):
        if fds:
            socket.send_fds(self.control, [message], list(fds))
        else:
            self.control.sendall(message)
        self.expect(answer)

    def prepare(self, names):
        self.imports = list(names)
        if self.imports:
            self.request(b"import " + json.dumps(self.imports).encode(), b"imported")

    def fork(self, fds):
        """Starts a case process with these pipes; returns its pid (a child of this process)."""
        pid_r, pid_w = os.pipe()
        try:
            for attempt in (1, 2):
                self.ensure()
                try:
                    self.request(b"fork", b"forked", list(fds) + [pid_w])
                    break
                except (OSError, RuntimeError):
                    if attempt == 2:
                        raise
                    self.stop()
            os.close(pid_w)
            pid_w = None
            data = b""
            while True:
                chunk = os.read(pid_r, 32)
                if not chunk:
                    break
                data += chunk
            return int(data)
        finally:
            os.close(pid_r)
            if pid_w is not None:
                os.close(pid_w)


# ----------------------------------------------------------------------------------------------
# Calls observed from outside: a case's script asks the probe to hold a call for some seconds.


class ProbeServer:
    """Serves `probe.hold(label, seconds)`: one connection per call, answered after `seconds` on this
    process's clock. Per label it counts calls answered, calls abandoned (the caller closed first,
    e.g. a cancelled task) and the most calls in progress at the same moment."""

    def __init__(self):
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(PROBE_ADDRESS)
        self.listener.listen(128)
        self.listener.setblocking(False)
        self.conns = {}
        self.labels = {}
        self.limit = 0.0

    def begin_case(self, limit):
        for conn in list(self.conns.values()):
            self.close(conn)
        while True:  # connections left over from an earlier case
            try:
                sock, _ = self.listener.accept()
            except OSError:
                break
            sock.close()
        self.labels = {}
        self.limit = limit

    def fds(self):
        return [self.listener.fileno()] + list(self.conns)

    def accept(self):
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            if len(self.conns) >= MAX_PROBE_CONNECTIONS:
                sock.close()
                continue
            sock.setblocking(False)
            self.conns[sock.fileno()] = {"sock": sock, "buf": b"", "label": None, "reply_at": None}

    def readable(self, fd, now):
        conn = self.conns.get(fd)
        if conn is None:
            return
        try:
            data = conn["sock"].recv(512)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data or conn["label"] is not None or len(conn["buf"]) + len(data) > 256:
            # Closed by the caller, or more than one request: whatever was in progress is abandoned.
            self.close(conn)
            return
        conn["buf"] += data
        if b"\n" not in conn["buf"]:
            return
        try:
            label, seconds = conn["buf"].split(b"\n", 1)[0].decode("utf-8").split("\t")
            seconds = float(seconds)
            if not seconds >= 0 or not label:
                raise ValueError
        except ValueError:
            self.close(conn)
            return
        entry = self.labels.get(label)
        if entry is None:
            if len(self.labels) >= MAX_PROBE_LABELS:
                self.close(conn)
                return
            entry = self.labels[label] = {"calls": 0, "abandoned": 0, "peak": 0, "open": 0}
        entry["open"] += 1
        entry["peak"] = max(entry["peak"], entry["open"])
        conn["label"] = label
        conn["reply_at"] = now + min(seconds, self.limit)

    def next_reply(self):
        times = [c["reply_at"] for c in self.conns.values() if c["reply_at"] is not None]
        return min(times) if times else None

    def reply_due(self, now):
        for conn in list(self.conns.values()):
            if conn["reply_at"] is not None and conn["reply_at"] <= now:
                try:
                    conn["sock"].send(b"ok\n")
                except OSError:
                    self.close(conn)
                    continue
                entry = self.labels[conn["label"]]
                entry["calls"] += 1
                entry["open"] -= 1
                conn["label"] = None
                self.close(conn)

    def close(self, conn):
        if conn["label"] is not None:
            entry = self.labels.get(conn["label"])
            if entry is not None:
                entry["open"] -= 1
                entry["abandoned"] += 1
            conn["label"] = None
        self.conns.pop(conn["sock"].fileno(), None)
        conn["sock"].close()

    def end_case(self):
        for conn in list(self.conns.values()):
            self.close(conn)
        return {label: {"calls": e["calls"], "abandoned": e["abandoned"], "peak": e["peak"]} for label, e in self.labels.items()}


# ----------------------------------------------------------------------------------------------
# Between cases: nothing of one case may reach the next.


def clear_directory(root):
    """Removes everything under `root` (not `root` itself), however deep or locked down."""
    try:
        top = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    stack = [(top, None, set())]
    while stack:
        fd, _name, skip = stack[-1]
        descended = False
        try:
            entries = list(os.scandir(fd))
        except OSError:
            entries = []
        for entry in entries:
            if entry.name in skip:
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    try:
                        os.chmod(entry.name, 0o700, dir_fd=fd)
                    except OSError:
                        pass
                    sub = os.open(entry.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                    stack.append((sub, entry.name, set()))
                    descended = True
                    break
                os.unlink(entry.name, dir_fd=fd)
            except OSError:
                skip.add(entry.name)
        if descended:
            continue
        stack.pop()
        os.close(fd)
        if stack:
            parent_fd, _, parent_skip = stack[-1]
            try:
                os.rmdir(_name, dir_fd=parent_fd)
            except OSError:
                parent_skip.add(_name)


def remove_ipc():
    """System V shared memory, semaphores and message queues outlive their processes: remove them."""
    for kind, remove in (
        ("shm", lambda i: LIBC.shmctl(i, 0, None)),
        ("sem", lambda i: LIBC.semctl(i, 0, 0)),
        ("msg", lambda i: LIBC.msgctl(i, 0, None)),
    ):
        try:
            with open("/proc/sysvipc/" + kind) as f:
                lines = f.read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 1 and fields[1].lstrip("-").isdigit():
                remove(int(fields[1]))


def link_hypothesis_tables():
    """Lets Hypothesis find its prebuilt tables where it looks: .hypothesis/ in the working directory."""
    if not os.path.isdir(HYPOTHESIS_UNICODE):
        return
    try:
        os.mkdir(os.path.join(WORK, ".hypothesis"))
        os.symlink(HYPOTHESIS_UNICODE, os.path.join(WORK, ".hypothesis", "unicode_data"))
    except OSError:
        pass


def write_file(path, text):
    with open(path, "w", encoding="utf-8", errors="surrogatepass") as f:
        f.write(text)


def reset_scratch(job, case):
    for path in SCRATCH:
        clear_directory(path)
    remove_ipc()
    try:
        os.chmod(WORK, 0o700)
    except OSError:
        pass
    mode = job["mode"]
    if mode in ("run", "stdio", "check"):
        write_file(os.path.join(WORK, "main.py"), job["code"])
    elif mode == "call":
        write_file(os.path.join(WORK, "solution.py"), job["code"])
    else:
        write_file(os.path.join(WORK, "test_solution.py"), job["code"])
        write_file(os.path.join(WORK, job["target"] + ".py"), case.get("module") or "")
    link_hypothesis_tables()


# ----------------------------------------------------------------------------------------------
# One case.


class Watch:
    """Threads and processes of the case, sampled from /proc (threads alive for a few ms are seen)."""

    def __init__(self, spare):
        self.spare = spare
        self.threads = 0
        self.processes = 0

    def sample(self, case_pid):
        threads = 0
        processes = 0
        for pid in other_pids(self.spare):
            state = task_state(pid)
            if state is None or state[0] in (b"Z", b"X"):
                continue
            threads += max(state[1] - 1, 0)
            if pid != case_pid:
                processes += 1
        self.threads = max(self.threads, threads)
        self.processes = max(self.processes, processes)


def run_case(job, case, reaper, zygote, probe, wake_r):
    limit = float(job["seconds"])
    cap = int(job["outputBytes"])
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    res_r, res_w = os.pipe()
    spec_r, spec_w = os.pipe()
    go_r, go_w = os.pipe()
    spec = {"mode": job["mode"]}
    for key in ("call", "script", "tool"):
        if case.get(key) is not None:
            spec[key] = case[key]
    spec_data = json.dumps(spec).encode("utf-8", "surrogatepass")
    oom_before = oom_kills()
    probe.begin_case(limit)
    watch = Watch({zygote.pid}) if case.get("watch") else None

    zygote.ensure()
    pid_before = last_pid()
    begun = time.monotonic()
    try:
        pid = zygote.fork((in_r, out_w, err_w, res_w, spec_r, go_w))
    finally:
        for fd in (in_r, out_w, err_w, res_w, spec_r, go_w):
            os.close(fd)
    deadline = begun + limit + BOOT_GRACE
    try:
        view = memoryview(spec_data)
        while view:
            view = view[os.write(spec_w, view):]
    except OSError:
        pass
    os.close(spec_w)

    stdin_data = memoryview((case.get("stdin") or "").encode("utf-8", "surrogatepass"))
    buffers = {out_r: bytearray(), err_r: bytearray(), res_r: bytearray()}
    caps = {out_r: cap, err_r: cap, res_r: cap + 1024}
    truncated = {out_r: False, err_r: False, res_r: False}
    open_fds = set(buffers)
    for fd in open_fds:
        os.set_blocking(fd, False)
    if stdin_data:
        os.set_blocking(in_w, False)
    else:
        os.close(in_w)
        in_w = None

    os.set_blocking(go_r, False)
    code_started = None
    reason = None
    exited_at = None
    next_sample = begun
    spare = (zygote.pid,)
    while True:
        reaper.reap()
        now = time.monotonic()
        if exited_at is None and pid in reaper.statuses:
            exited_at = now
        if watch is not None and exited_at is None and now >= next_sample:
            watch.sample(pid)
            next_sample = now + SAMPLE_INTERVAL
        if exited_at is None and now >= deadline and reason is None:
            reason = "timeout"
            reaper.kill_all(spare)
            continue
        probe.reply_due(now)
        if not open_fds and exited_at is not None:
            break
        if exited_at is not None and now - exited_at >= STRAGGLER_GRACE:
            # Something the program started still holds its output pipes.
            reaper.kill_all(spare)
        if exited_at is not None:
            wake = exited_at + STRAGGLER_GRACE
        else:
            wake = deadline
            if watch is not None:
                wake = min(wake, next_sample)
        reply = probe.next_reply()
        if reply is not None:
            wake = min(wake, reply)
        poller = select.poll()
        poller.register(wake_r, select.POLLIN)
        for fd in open_fds:
            poller.register(fd, select.POLLIN)
        if in_w is not None:
            poller.register(in_w, select.POLLOUT)
        for fd in probe.fds():
            poller.register(fd, select.POLLIN)
        if go_r is not None:
            poller.register(go_r, select.POLLIN)
        try:
            events = poller.poll(max(0, int((wake - now) * 1000) + 1))
        except InterruptedError:
            continue
        now = time.monotonic()
        for fd, _ev in events:
            if fd == wake_r:
                try:
                    while os.read(wake_r, 512):
                        pass
                except (BlockingIOError, InterruptedError):
                    pass
            elif fd == in_w:
                try:
                    n = os.write(in_w, stdin_data[:65536])
                    stdin_data = stdin_data[n:]
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:  # the program closed its stdin
                    stdin_data = stdin_data[:0]
                if not stdin_data:
                    os.close(in_w)
                    in_w = None
            elif fd == go_r:
                # The case's own code starts: written by case.py before any learner code runs.
                if code_started is None:
                    code_started = now
                    deadline = code_started + limit
                os.close(go_r)
                go_r = None
            elif fd == probe.listener.fileno():
                probe.accept()
            elif fd in buffers:
                try:
                    data = os.read(fd, 1 << 16)
                except (BlockingIOError, InterruptedError):
                    continue
                if not data:
                    os.close(fd)
                    open_fds.discard(fd)
                    continue
                buf = buffers[fd]
                room = caps[fd] - len(buf)
                if len(data) > room:
                    buf += data[: max(room, 0)]
                    truncated[fd] = True
                    if reason is None:
                        reason = "output_limit"
                        reaper.kill_all(spare)
                else:
                    buf += data
            else:
                probe.readable(fd, now)

    if in_w is not None:
        os.close(in_w)
    if go_r is not None:
        os.close(go_r)
    reaper.kill_all(spare)
    reaper.reap()
    calls = probe.end_case()
    pid_after = last_pid()
    ended = exited_at if exited_at is not None else time.monotonic()

    status = reaper.statuses.pop(pid, None)
    exit_code = None
    sig = None
    if status is not None:
        if os.WIFEXITED(status):
            exit_code = os.WEXITSTATUS(status)
        elif os.WIFSIGNALED(status):
            n = os.WTERMSIG(status)
            try:
                sig = signal.Signals(n).name
            except ValueError:
                sig = "SIG%d" % n
    zygote_status = reaper.statuses.get(zygote.pid)
    reaper.statuses.clear()
    if zygote_status is not None:
        reaper.statuses[zygote.pid] = zygote_status

    value = bytes(buffers[res_r]) if buffers[res_r] and not truncated[res_r] else None
    if reason is None and truncated[res_r]:
        reason = "output_limit"
    if reason is None:
        oom_after = oom_kills()
        killed_by_oom = (
            oom_before is not None and oom_after is not None and oom_after > oom_before
        ) or (oom_before is None and sig == "SIGKILL")
        if killed_by_oom and (sig is not None or exit_code != 0):
            reason = "memory"

    started = None
    if pid_before is not None and pid_after is not None and pid_after >= pid_before:
        # Less the two processes that start a case (the clean interpreter's fork and the case itself).
        started = max(pid_after - pid_before - 2, 0)
    return {
        "exitCode": exit_code,
        "signal": sig,
        "reason": reason,
        "stdout": b64(buffers[out_r]),
        "stderr": b64(buffers[err_r]),
        "value": b64(value) if value is not None else None,
        "stdoutTruncated": truncated[out_r],
        "stderrTruncated": truncated[err_r],
        "elapsedMs": round((ended - (code_started if code_started is not None else begun)) * 1000, 3),
        "observed": {
            "threads": watch.threads if watch else None,
            "processes": watch.processes if watch else None,
            "started": started,
            "calls": calls,
        },
    }


def warm_imports(sources):
    """The WARM_IMPORTS modules (and their submodules) that the sources import, by name only."""
    import ast

    names = []
    for source in sources:
        if not isinstance(source, str) or not source or len(source) > MAX_SCAN_BYTES:
            continue
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.append(node.module)
    return [name for name in dict.fromkeys(names) if name.split(".")[0] in WARM_IMPORTS]


def main():
    # As PID 1 a signal with no handler is never delivered from inside the container; keep SIGINT so.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.environ.clear()
    os.environ.update(FIXED_ENV)
    sys.dont_write_bytecode = True
    try:
        # Same-uid learner code must not open /proc/1/fd/1 (our stdout) or ptrace us to forge frames.
        set_dumpable(0)
    except OSError as exc:
        emit({"t": "fatal", "message": str(exc)})
        return 1

    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)

    reaper = Reaper()
    probe = ProbeServer()
    zygote = Zygote(reaper)
    zygote.start()
    emit({"t": "ready", "v": PROTOCOL, "python": "%d.%d.%d" % sys.version_info[:3]})
    try:
        job = read_job()
    except ValueError as exc:
        emit({"t": "fatal", "message": "bad job line: %s" % exc})
        return 1
    if job is None:  # the runner went away before sending anything
        return 0
    fd = os.open("/dev/null", os.O_RDONLY)
    os.dup2(fd, 0)
    os.close(fd)

    mode = job.get("mode")
    code = job.get("code")
    cases = job.get("cases")
    if job.get("v") != PROTOCOL or mode not in ("run", "stdio", "call", "pytest", "check") or not isinstance(code, str) \
            or not isinstance(cases, list) or not all(isinstance(c, dict) for c in cases):
        emit({"t": "fatal", "message": "unsupported job"})
        return 1
    if mode == "pytest" and not (job.get("target") or "").isidentifier():
        emit({"t": "fatal", "message": "pytest jobs need a target module name"})
        return 1

    if mode == "check" and not all(case.get("tool") in CHECK_TOOLS for case in cases):
        emit({"t": "fatal", "message": "check jobs name a tool per case: mypy or black"})
        return 1

    if mode == "check":
        names = CHECK_IMPORTS
    else:
        names = warm_imports([code] + [case.get(key) or "" for case in cases for key in ("module", "script", "call")])
    if mode == "pytest":
        names = ["pytest"] + names
    zygote.prepare(names)

    for i, case in enumerate(cases):
        reset_scratch(job, case)
        emit({"t": "start", "i": i})
        outcome = run_case(job, case, reaper, zygote, probe, wake_r)
        outcome.update({"t": "end", "i": i})
        if i == len(cases) - 1:
            emit(outcome, {"t": "done"})
        else:
            emit(outcome)
    if not cases:
        emit({"t": "done"})
    return 0


if __name__ == "__main__":
    try:
        rc = main()
    except BaseException as exc:  # never leave the runner waiting without a word
        try:
            emit({"t": "fatal", "message": "".join(traceback.format_exception_only(type(exc), exc)).strip()})
        except BaseException:
            pass
        rc = 1
    os._exit(rc)
