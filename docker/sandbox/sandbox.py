"""studybot sandbox supervisor: PID 1 of a one-shot container.

Protocol (version 1). Everything this process writes to its standard output is a JSON line (a
"frame"); learner code never writes there, because every unit of work runs in a forked child whose
stdout/stderr are pipes back to this process.

  -> {"t":"ready","v":1,"python":"3.11.2"}        written at start, before the job is read
  <- one JSON job line on stdin:
       {"v":1,"mode":"run"|"stdio"|"call"|"pytest","code":"...","target":"inventory",
        "seconds":5,"outputBytes":65536,
        "cases":[{"stdin":"...","call":"...","script":"...","module":"..."}]}
  -> {"t":"start","i":0}                           just before case i's child is forked
  -> {"t":"end","i":0,"exitCode":0,"signal":null,"reason":null|"timeout"|"output_limit"|"memory",
      "stdout":"<base64>","stderr":"<base64>","value":"<base64>"|null,
      "stdoutTruncated":false,"stderrTruncated":false}
  -> {"t":"done"}                                  after the last case; then the supervisor exits
  -> {"t":"fatal","message":"..."}                 the supervisor cannot do its job

Expected outputs never come here: the runner compares outside the container and times each case
by the arrival of its start and end frames.
"""

import base64
import builtins
import ctypes
import errno
import io
import json
import os
import select
import signal
import sys
import time
import traceback
import types

# Pre-imported so a case's child (a fork of this process) starts warm. `call`/`script` cases get
# these names in scope, as the challenge format promises.
import abc  # noqa: F401
import asyncio
import atexit
import bisect
import collections
import contextlib
import copy
import dataclasses
import datetime
import decimal
import enum
import fractions
import functools
import heapq
import itertools
import math
import operator
import queue
import random
import re
import statistics
import string
import threading
import typing
import concurrent.futures

PROTOCOL = 1
WORK = "/work"
SELF = os.path.abspath(__file__)
FIXED_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/tmp",
    "PYTHONDONTWRITEBYTECODE": "1",
}
# Hypothesis's Unicode tables, built when the image was (Dockerfile): building them on first use of
# st.text() takes more memory than a sandbox has.
HYPOTHESIS_UNICODE = "/opt/studybot/hypothesis/unicode_data"
# After the main child exits, how long processes it left behind may keep its pipes open.
STRAGGLER_GRACE = 0.05
MAX_JOB_BYTES = 64 * 1024 * 1024

PYTEST_SESSION_MODULES = (
    "hypothesis", "unittest.mock", "pdb", "_pytest.faulthandler", "_pytest.helpconfig",
    "_pytest.pastebin", "_pytest.python_path", "_pytest.setuponly", "_pytest.setupplan",
    "_pytest.skipping", "_pytest.threadexception", "_pytest.unittest", "_pytest.unraisableexception",
    "_pytest.warnings",
)

# Packages that take a second or more to import on one CPU (Pydantic 2 builds its validators at
# import time). When the job's code imports one, the supervisor imports it once before the first
# case, so each case's fork starts with it loaded instead of importing it again within its time limit.
WARM_IMPORTS = frozenset({
    "aiohttp", "bs4", "fastapi", "httpx", "hypothesis", "jwt", "pydantic", "sqlalchemy", "starlette",
    "uvicorn", "websockets",
})
MAX_SCAN_BYTES = 256 * 1024

SCRIPT_MODULES = {
    name: sys.modules[name]
    for name in (
        "asyncio", "time", "math", "random", "itertools", "functools", "collections", "threading",
        "dataclasses", "typing", "re", "json", "sys", "os", "io", "contextlib", "operator",
        "statistics", "heapq", "bisect", "string", "decimal", "fractions", "enum", "copy",
        "datetime", "queue", "concurrent",
    )
}


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


def set_dumpable(value):
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_DUMPABLE = 4
    if libc.prctl(PR_SET_DUMPABLE, value, 0, 0, 0) != 0:
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

    def kill_all(self, limit=5.0):
        """SIGKILL every other process in the container (kill(-1) spares PID 1) until none is left."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                if not self.reap():
                    return
            if not self.reap():
                return
            time.sleep(0.001)


# ----------------------------------------------------------------------------------------------
# The child: runs one unit of learner work, then exits without returning into the supervisor.


def learner_traceback(exc):
    """Print an uncaught exception the way `python3 main.py` would, without supervisor frames."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == SELF:
        tb = tb.tb_next
    # The default hook prints the exception's own __traceback__, not the one it is passed.
    exc.__traceback__ = tb
    try:
        sys.excepthook(type(exc), exc, tb)
    except BaseException:
        traceback.print_exception(type(exc), exc, tb)


def exit_code_of(exc):
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, bool):
        return int(code)
    if isinstance(code, int):
        return code & 0xFF
    try:
        print(code, file=sys.stderr)
    except BaseException:
        pass
    return 1


def finish(code):
    """What interpreter shutdown does (as multiprocessing's children do): join threads, atexit, flush."""
    try:
        threading._shutdown()
    except BaseException as exc:  # a KeyboardInterrupt or the like while joining
        learner_traceback(exc)
    try:
        atexit._run_exitfuncs()
    except BaseException:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    os._exit(code)


def write_result(fd, **fields):
    data = json.dumps(fields).encode()
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view):]
    except OSError:
        pass


def fresh_stdio():
    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8", line_buffering=True
    )
    sys.stderr = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
        encoding="utf-8",
        errors="backslashreplace",
        line_buffering=True,
    )
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr


def module_namespace(name, filename):
    return {
        "__name__": name,
        "__file__": filename,
        "__builtins__": builtins,
        "__doc__": None,
        "__package__": None,
        "__spec__": None,
        "__loader__": None,
        "__cached__": None,
    }


def run_learner(body, result_fd):
    try:
        body()
        code = 0
    except SystemExit as exc:
        code = exit_code_of(exc)
    except MemoryError as exc:
        write_result(result_fd, memoryError=True)
        learner_traceback(exc)
        code = 1
    except BaseException as exc:
        learner_traceback(exc)
        code = 1
    finish(code)


def child_main(job, case, fds):
    in_r, out_w, err_w, res_w = fds
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setsid()
    set_dumpable(1)
    # Lower priority than the supervisor, so a fork bomb cannot starve the process that stops it.
    os.nice(10)
    try:
        # The learner's processes are the ones the OOM killer should pick, never the supervisor.
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    os.dup2(in_r, 0)
    os.dup2(out_w, 1)
    os.dup2(err_w, 2)
    if res_w != 3:
        os.dup2(res_w, 3, inheritable=False)
        res_w = 3
    # Nothing but the three pipes and the result pipe survives: no container stdout to forge frames.
    os.closerange(4, 1 << 20)
    os.chdir(WORK)
    fresh_stdio()
    sys.modules["__main__"] = types.ModuleType("__main__")
    sys.path[0] = WORK
    mode = job["mode"]
    code = job["code"]

    if mode in ("run", "stdio"):
        filename = os.path.join(WORK, "main.py")
        sys.argv = [filename]

        def body():
            main = types.ModuleType("__main__")
            main.__dict__.update(module_namespace("__main__", filename))
            sys.modules["__main__"] = main
            exec(compile(code, filename, "exec", dont_inherit=True), main.__dict__)

        run_learner(body, res_w)

    elif mode == "call":
        filename = os.path.join(WORK, "solution.py")
        sys.argv = [filename]

        def body():
            solution = types.ModuleType("solution")
            solution.__dict__.update(module_namespace("solution", filename))
            sys.modules["solution"] = solution
            exec(compile(code, filename, "exec", dont_inherit=True), solution.__dict__)
            scope = dict(SCRIPT_MODULES)
            if case.get("call") is not None:
                # An expression evaluated in the module's namespace: every name, private ones too.
                scope.update(vars(solution))
            else:
                # Statements run as if after `from solution import *`.
                exported = getattr(solution, "__all__", None)
                names = exported if exported is not None else [n for n in vars(solution) if not n.startswith("_")]
                for name in names:
                    scope[name] = getattr(solution, name)
            scope["solution"] = solution
            scope["__builtins__"] = builtins
            scope["__name__"] = "__test__"
            if case.get("call") is not None:
                value = eval(compile(case["call"], "<test>", "eval", dont_inherit=True), scope)
                write_result(res_w, value=repr(value))
            else:
                exec(compile(case.get("script") or "", "<test>", "exec", dont_inherit=True), scope)

        run_learner(body, res_w)

    elif mode == "pytest":
        sys.argv = ["pytest"]

        def body():
            import pytest

            rc = pytest.main(
                ["-q", "-p", "no:cacheprovider", "--rootdir", WORK, "-o", "asyncio_mode=auto",
                 "-o", "asyncio_default_fixture_loop_scope=function",
                 "-W", "ignore::pytest.PytestAssertRewriteWarning",
                 os.path.join(WORK, "test_solution.py")]
            )
            write_result(res_w, value="pass" if int(rc) == 0 else "fail")

        run_learner(body, res_w)

    os._exit(70)


# ----------------------------------------------------------------------------------------------
# The supervisor side of one case.


def run_case(job, case, reaper, wake_r):
    limit = float(job["seconds"])
    cap = int(job["outputBytes"])
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    res_r, res_w = os.pipe()
    oom_before = oom_kills()

    pid = os.fork()
    if pid == 0:
        try:
            child_main(job, case, (in_r, out_w, err_w, res_w))
        finally:
            os._exit(70)

    for fd in (in_r, out_w, err_w, res_w):
        os.close(fd)
    deadline = time.monotonic() + limit
    stdin_data = memoryview((case.get("stdin") or "").encode("utf-8", "surrogatepass"))
    poller = select.poll()
    poller.register(wake_r, select.POLLIN)
    buffers = {out_r: bytearray(), err_r: bytearray(), res_r: bytearray()}
    caps = {out_r: cap, err_r: cap, res_r: cap + 1024}
    truncated = {out_r: False, err_r: False, res_r: False}
    open_fds = set(buffers)
    for fd in open_fds:
        os.set_blocking(fd, False)
        poller.register(fd, select.POLLIN)
    if stdin_data:
        os.set_blocking(in_w, False)
        poller.register(in_w, select.POLLOUT)
    else:
        os.close(in_w)
        in_w = None

    reason = None
    exited_at = None
    while True:
        reaper.reap()
        if exited_at is None and pid in reaper.statuses:
            exited_at = time.monotonic()
        now = time.monotonic()
        if exited_at is None and now >= deadline and reason is None:
            reason = "timeout"
            reaper.kill_all()
            continue
        if not open_fds and exited_at is not None:
            break
        if exited_at is not None and now - exited_at >= STRAGGLER_GRACE:
            # Something the program started still holds its output pipes.
            reaper.kill_all()
        if exited_at is not None:
            wait = STRAGGLER_GRACE - (now - exited_at)
        else:
            wait = deadline - now
        events = poller.poll(max(0, int(wait * 1000) + 1))
        for fd, ev in events:
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
                    poller.unregister(in_w)
                    os.close(in_w)
                    in_w = None
            else:
                try:
                    data = os.read(fd, 1 << 16)
                except (BlockingIOError, InterruptedError):
                    continue
                if not data:
                    poller.unregister(fd)
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
                        reaper.kill_all()
                else:
                    buf += data

    if in_w is not None:
        os.close(in_w)
    reaper.kill_all()
    reaper.reap()

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
    reaper.statuses.clear()

    value = None
    memory_error = False
    if buffers[res_r] and not truncated[res_r]:
        try:
            result = json.loads(bytes(buffers[res_r]).decode("utf-8", "surrogatepass"))
            if isinstance(result, dict):
                if isinstance(result.get("value"), str):
                    value = result["value"].encode("utf-8", "surrogatepass")
                memory_error = result.get("memoryError") is True
        except (ValueError, UnicodeDecodeError):
            pass
    if reason is None and truncated[res_r]:
        reason = "output_limit"
    if reason is None:
        oom_after = oom_kills()
        killed_by_oom = (
            oom_before is not None and oom_after is not None and oom_after > oom_before
        ) or (oom_before is None and sig == "SIGKILL")
        if memory_error or (killed_by_oom and (sig is not None or exit_code != 0)):
            reason = "memory"

    return {
        "exitCode": exit_code,
        "signal": sig,
        "reason": reason,
        "stdout": b64(buffers[out_r]),
        "stderr": b64(buffers[err_r]),
        "value": b64(value) if value is not None else None,
        "stdoutTruncated": truncated[out_r],
        "stderrTruncated": truncated[err_r],
    }


def warm_imports(sources):
    """Imports here the WARM_IMPORTS modules (and their submodules) that the sources import.

    Only installed packages from the fixed list are imported (this process never sees /work on its
    path), with their output discarded: nothing they print may reach the frame channel.
    """
    import ast
    import importlib

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
    discard = io.StringIO()
    for name in dict.fromkeys(names):
        if name.split(".")[0] in WARM_IMPORTS:
            with contextlib.redirect_stdout(discard), contextlib.redirect_stderr(discard):
                try:
                    importlib.import_module(name)
                except Exception:
                    pass


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

    link_hypothesis_tables()
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
    if job.get("v") != PROTOCOL or mode not in ("run", "stdio", "call", "pytest") or not isinstance(code, str) \
            or not isinstance(cases, list):
        emit({"t": "fatal", "message": "unsupported job"})
        return 1
    if mode in ("run", "stdio"):
        write_file(os.path.join(WORK, "main.py"), code)
    elif mode == "call":
        write_file(os.path.join(WORK, "solution.py"), code)
    else:
        target = job.get("target") or ""
        if not target.isidentifier():
            emit({"t": "fatal", "message": "pytest jobs need a target module name"})
            return 1
        write_file(os.path.join(WORK, "test_solution.py"), code)
        import importlib.metadata
        import pytest  # noqa: F401  (imported once here so each case's fork starts warm)

        for ep in importlib.metadata.entry_points(group="pytest11"):
            try:
                ep.load()
            except Exception:
                pass
        # What every pytest session imports on its own (Hypothesis's plugin pulls in all of
        # Hypothesis): loaded once here instead of again in each case's fork.
        for name in PYTEST_SESSION_MODULES:
            try:
                importlib.import_module(name)
            except Exception:
                pass

    warm_imports([code] + [case.get(key) or "" for case in cases if isinstance(case, dict)
                           for key in ("module", "script", "call")])

    reaper = Reaper()
    for i, case in enumerate(cases):
        if mode == "pytest":
            write_file(os.path.join(WORK, job["target"] + ".py"), case.get("module") or "")
        emit({"t": "start", "i": i})
        outcome = run_case(job, case, reaper, wake_r)
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
