"""studybot sandbox: the clean interpreter every case starts from.

The supervisor (sandbox.py, PID 1) executes this file once per container, before any job arrives. It
imports the standard modules that cases use, takes its snapshots of them, and then only waits on its
control socket (fd 3) for one of two requests:

  import <json list>     import these installed packages too (pytest and its plugins for test-writing
                         jobs, slow third-party packages the learner's code imports), output discarded
  fork + 7 descriptors   start one case: fork, fork again so that the case process is re-parented to
                         the supervisor (which then sees its exit status from the kernel), and report

It never sees learner code or any case's inputs: each case process reads its own inputs from its own
pipe after the fork, so a case holds nothing of the supervisor, of this process's past requests or of
other cases. It is not dumpable and ignores every signal it can, so learner code (same uid) cannot
read, trace or steer it; it can only kill or stop it, and the supervisor then starts or continues it.
"""

import builtins

# This file's own functions look builtins up in a private copy, so a learner's module that rebinds
# `builtins.len` or `builtins.isinstance` does not change what the harness does after it.
__builtins__ = dict(vars(builtins))

import ctypes
import io
import json
import os
import signal
import socket
import sys
import traceback
import types

# Imported here so every case starts warm; `call` and `script` cases see these names (content/README.md).
import abc  # noqa: F401
import asyncio
import atexit
import bisect
import collections
import concurrent.futures
import contextlib
import copy
import dataclasses
import datetime
import decimal
import enum
import fractions
import functools
import gc
import heapq
import inspect
import itertools
import math
import operator
import posixpath
import queue
import random
import re
import statistics
import string
import threading
import time
import typing
import weakref

CONTROL_FD = 3
WORK = "/work"
SELF = os.path.abspath(__file__)
PROBE_ADDRESS = "\0studybot-probe"

# The names a `call` or `script` case has in scope besides the learner's.
SCRIPT_NAMES = (
    "asyncio", "time", "math", "random", "itertools", "functools", "collections", "threading",
    "dataclasses", "typing", "re", "json", "sys", "os", "io", "contextlib", "operator", "statistics",
    "heapq", "bisect", "string", "decimal", "fractions", "enum", "copy", "datetime", "queue",
    "concurrent",
)
# Modules a case's script gets as snapshots: copies of their namespaces taken here, before any learner
# code ran, so that rebinding `threading.active_count`, `time.sleep`, `os.getpid` and the like in the
# learner's module changes nothing the script calls. `sys` stays the live module (its stdout, modules
# and path are the case's own).
FROZEN_MODULES = (
    "asyncio", "time", "math", "random", "itertools", "functools", "collections", "threading",
    "dataclasses", "typing", "re", "json", "os", "posixpath", "io", "contextlib", "operator",
    "statistics", "heapq", "bisect", "string", "decimal", "fractions", "enum", "copy", "datetime",
    "queue", "concurrent", "concurrent.futures", "gc", "inspect", "weakref", "types", "abc",
)

# mypy for /check: strict, no configuration file, and the cache built with the image.
MYPY_IMAGE_CACHE = "/opt/studybot/mypy-cache"
MYPY_CACHE = "/tmp/mypy-cache"
MYPY_ARGS = [
    "--strict", "--config-file=", "--cache-dir", MYPY_CACHE, "--no-error-summary", "--no-color-output",
    "--no-pretty", "--show-error-codes",
]

PYTEST_SESSION_MODULES = (
    "hypothesis", "unittest.mock", "pdb", "_pytest.faulthandler", "_pytest.helpconfig",
    "_pytest.pastebin", "_pytest.python_path", "_pytest.setuponly", "_pytest.setupplan",
    "_pytest.skipping", "_pytest.threadexception", "_pytest.unittest", "_pytest.unraisableexception",
    "_pytest.warnings",
)


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
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(4, value, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


# ----------------------------------------------------------------------------------------------
# Snapshots for scripts.


def freeze_all():
    frozen = {}

    def freeze(name):
        if name in frozen:
            return frozen[name]
        real = sys.modules[name]
        copy_ = types.ModuleType(real.__name__, getattr(real, "__doc__", None))
        frozen[name] = copy_
        namespace = dict(vars(real))
        for key, value in namespace.items():
            if isinstance(value, types.ModuleType) and value.__name__ in FROZEN_MODULES:
                namespace[key] = freeze(value.__name__)
        vars(copy_).update(namespace)
        return copy_

    for name in FROZEN_MODULES:
        freeze(name)
    return frozen


FROZEN = freeze_all()
REAL_PRINT = builtins.print
REAL_IMPORT = builtins.__import__
REAL_REDIRECT_STDOUT = contextlib.redirect_stdout
_write = os.write
_repr = repr
_isinstance = isinstance
_str = str
_type = type
_socket = socket.socket
_AF_UNIX = socket.AF_UNIX
_SOCK_STREAM = socket.SOCK_STREAM
_open_unix_connection = asyncio.open_unix_connection


class ScriptOutput:
    """Where a script's print() goes: the case's own stdout object, taken before the learner's code
    ran, or the target of the script's own `contextlib.redirect_stdout`. Replacing `sys.stdout` in
    the learner's module does not capture or rewrite what the script prints."""

    def __init__(self):
        self.stack = []

    def current(self):
        return self.stack[-1]


SCRIPT_OUTPUT = ScriptOutput()


def script_print(*args, sep=" ", end="\n", file=None, flush=False):
    REAL_PRINT(*args, sep=sep, end=end, file=SCRIPT_OUTPUT.current() if file is None else file, flush=flush)


class script_redirect_stdout(REAL_REDIRECT_STDOUT):
    """The script's redirect_stdout also redirects the script's own print()."""

    def __enter__(self):
        SCRIPT_OUTPUT.stack.append(self._new_target)
        return super().__enter__()

    def __exit__(self, *exc):
        SCRIPT_OUTPUT.stack.pop()
        return super().__exit__(*exc)


vars(FROZEN["contextlib"])["redirect_stdout"] = script_redirect_stdout


def script_import(name, globals=None, locals=None, fromlist=(), level=0):
    module = REAL_IMPORT(name, globals, locals, fromlist, level)
    if level == 0:
        top = name if fromlist else name.split(".")[0]
        if top in FROZEN:
            return FROZEN[top]
    return module


SCRIPT_BUILTINS = dict(vars(builtins))
SCRIPT_BUILTINS["print"] = script_print
SCRIPT_BUILTINS["__import__"] = script_import


class Probe:
    """Calls the supervisor observes from outside the learner's process.

    `hold(label, seconds)` asks the supervisor to answer after `seconds` on its own clock; it records
    when each call started and ended, so a challenge can count calls and how many were in progress
    at once. The learner's code can make more calls, never fewer, and cannot make one end sooner.
    """

    @staticmethod
    def _request(label, seconds):
        if not _isinstance(label, _str) or not label or len(label) > 64 or "\t" in label or "\n" in label:
            raise ValueError("a probe label is a short single-line string")
        seconds = float(seconds)
        if not seconds >= 0:
            raise ValueError("a probe hold is a number of seconds, 0 or more")
        return ("%s\t%r\n" % (label, seconds)).encode()

    def hold(self, label, seconds=0.0):
        request = self._request(label, seconds)
        sock = _socket(_AF_UNIX, _SOCK_STREAM)
        try:
            sock.connect(PROBE_ADDRESS)
            sock.sendall(request)
            if not sock.recv(16):
                raise ConnectionError("the probe went away")
        finally:
            sock.close()

    def count(self, label):
        self.hold(label, 0.0)

    async def ahold(self, label, seconds=0.0):
        request = self._request(label, seconds)
        reader, writer = await _open_unix_connection(PROBE_ADDRESS)
        try:
            writer.write(request)
            if not await reader.read(16):
                raise ConnectionError("the probe went away")
        finally:
            writer.close()


PROBE = Probe()
BUILTIN_NAMES = frozenset(vars(builtins))


# ----------------------------------------------------------------------------------------------
# One case.


def learner_traceback(exc):
    """Print an uncaught exception the way `python3 main.py` would, without this file's frames."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == SELF:
        tb = tb.tb_next
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
    except BaseException as exc:
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


def write_value(text):
    """A `call` case's repr() or pytest's verdict, on fd 3: an output like stdout, compared outside."""
    data = memoryview(text.encode("utf-8", "surrogatepass"))
    try:
        while data:
            data = data[_write(3, data):]
    except OSError:
        pass


def link_mypy_cache():
    """The case's mypy cache directory: its per-version directories are links to the image's cache,
    which stays read-only (mypy skips the cache writes it cannot make, so modules analysed afresh
    never fill the scratch space), while the directory itself takes the note mypy must be able to
    write (the stub packages it found missing)."""
    os.mkdir(MYPY_CACHE)
    try:
        names = os.listdir(MYPY_IMAGE_CACHE)
    except OSError:
        return
    for name in names:
        if os.path.isdir(os.path.join(MYPY_IMAGE_CACHE, name)):
            os.symlink(os.path.join(MYPY_IMAGE_CACHE, name), os.path.join(MYPY_CACHE, name))


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


def read_source(path):
    with open(path, "rb") as f:
        return f.read()


def mark_start():
    """Tells the supervisor, on fd 4, that the learner's code starts now: its clock for the case's
    duration starts here, after the fork and this file's own preparations. Written before any
    learner code runs, then closed."""
    try:
        _write(4, b".")
    except OSError:
        pass
    try:
        os.close(4)
    except OSError:
        pass


def run_learner(body):
    mark_start()
    try:
        body()
        code = 0
    except SystemExit as exc:
        code = exit_code_of(exc)
    except BaseException as exc:
        learner_traceback(exc)
        code = 1
    finish(code)


def script_scope(solution, whole_namespace):
    """The scope of a case's expression or script: the learner's names, then the snapshots, which
    win over anything of the same name, and builtins no learner name can shadow."""
    scope = {}
    learner = dict(vars(solution))
    if whole_namespace:
        names = list(learner)
    else:
        exported = learner.get("__all__")
        names = list(exported) if isinstance(exported, (list, tuple)) else [n for n in learner if not n.startswith("_")]
    for name in names:
        if not isinstance(name, str) or name in BUILTIN_NAMES or name.startswith("__"):
            continue
        if name in learner:
            scope[name] = learner[name]
        elif not whole_namespace:
            scope[name] = getattr(solution, name)
    for name in SCRIPT_NAMES:
        scope[name] = sys if name == "sys" else FROZEN[name]
    scope["solution"] = solution
    scope["probe"] = PROBE
    scope["__builtins__"] = SCRIPT_BUILTINS
    scope["__name__"] = "__test__"
    return scope


def case_main(spec):
    mode = spec["mode"]
    os.chdir(WORK)
    fresh_stdio()
    SCRIPT_OUTPUT.stack[:] = [sys.stdout]
    sys.modules["__main__"] = types.ModuleType("__main__")
    sys.path.insert(0, WORK)

    if mode in ("run", "stdio"):
        filename = os.path.join(WORK, "main.py")
        sys.argv = [filename]

        def body():
            code = read_source(filename)
            main = types.ModuleType("__main__")
            main.__dict__.update(module_namespace("__main__", filename))
            sys.modules["__main__"] = main
            exec(compile(code, filename, "exec", dont_inherit=True), main.__dict__)

        run_learner(body)

    elif mode == "call":
        filename = os.path.join(WORK, "solution.py")
        sys.argv = [filename]
        call = spec.get("call")
        script = spec.get("script") or ""
        # Compiled before the learner's code runs, from this process's own copy of the inputs.
        compiled = (
            compile(call, "<test>", "eval", dont_inherit=True)
            if call is not None
            else compile(script, "<test>", "exec", dont_inherit=True)
        )

        def body():
            code = read_source(filename)
            solution = types.ModuleType("solution")
            solution.__dict__.update(module_namespace("solution", filename))
            sys.modules["solution"] = solution
            exec(compile(code, filename, "exec", dont_inherit=True), solution.__dict__)
            scope = script_scope(solution, call is not None)
            if call is not None:
                value = eval(compiled, scope)
                write_value(_repr(value))
            else:
                exec(compiled, scope)

        run_learner(body)

    elif mode == "check":
        # Type and style checks read the code as data: none of it runs. Neither tool may load
        # anything the code names: mypy reads no configuration file (and ignores plugins in the
        # code's inline comments), black is called through its API, which reads none either.
        tool = spec.get("tool")
        sys.argv = [tool or "check"]

        def body():
            source = read_source(os.path.join(WORK, "main.py")).decode("utf-8", "surrogateescape")
            if tool == "mypy":
                from mypy import api

                link_mypy_cache()
                out, err, status = api.run(MYPY_ARGS + ["main.py"])
                sys.stdout.write(out)
                sys.stderr.write(err)
                raise SystemExit(status)
            import black

            try:
                formatted = black.format_str(source, mode=black.Mode())
            except black.InvalidInput as exc:
                sys.stderr.write("cannot parse: %s\n" % exc)
                raise SystemExit(123)
            if formatted == source:
                raise SystemExit(0)
            import difflib

            sys.stdout.writelines(
                difflib.unified_diff(
                    source.splitlines(keepends=True), formatted.splitlines(keepends=True), "main.py", "main.py (black)"
                )
            )
            raise SystemExit(1)

        run_learner(body)

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
            write_value("pass" if int(rc) == 0 else "fail")

        run_learner(body)

    os._exit(70)


def read_all(fd):
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except InterruptedError:
            continue
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def become_case(control, fds):
    """In the case process: take the pipes, read this case's inputs, drop everything else, run."""
    stdin_r, stdout_w, stderr_w, result_w, spec_r, started_w = fds
    control.close()
    for sig in range(1, signal.NSIG):
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (OSError, ValueError):
            pass
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_SETMASK, ())
    os.setsid()
    # Lower priority than the supervisor, so a fork bomb cannot starve the process that stops it.
    os.nice(10)
    try:
        # The learner's processes are the ones the OOM killer should pick.
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    spec = json.loads(read_all(spec_r))
    os.dup2(stdin_r, 0)
    os.dup2(stdout_w, 1)
    os.dup2(stderr_w, 2)
    os.dup2(result_w, 3)
    os.dup2(started_w, 4)
    set_dumpable(1)
    close_from(5)
    case_main(spec)


# ----------------------------------------------------------------------------------------------
# Waiting for requests.


def import_quietly(names):
    import importlib

    discard = io.StringIO()
    with contextlib.redirect_stdout(discard), contextlib.redirect_stderr(discard):
        for name in names:
            try:
                importlib.import_module(name)
            except Exception:
                pass


def prepare_pytest():
    import importlib.metadata

    import_quietly(["pytest"])
    discard = io.StringIO()
    with contextlib.redirect_stdout(discard), contextlib.redirect_stderr(discard):
        for ep in importlib.metadata.entry_points(group="pytest11"):
            try:
                ep.load()
            except Exception:
                pass
    # What every pytest session imports on its own: loaded once here instead of in each case.
    import_quietly(PYTEST_SESSION_MODULES)


def answer(control, message, fds):
    """One request. Its own frame holds whatever it needs, and is gone before the next request, so
    every case forked here sees the same surroundings, whichever case it is."""
    verb, _, rest = message.partition(b" ")
    if verb == b"import":
        names = json.loads(rest)
        if "pytest" in names:
            prepare_pytest()
        import_quietly([n for n in names if n != "pytest"])
        gc.collect()
        gc.freeze()
        control.sendall(b"imported")
    elif verb == b"fork" and len(fds) == 7:
        pid_w = fds[6]
        first = os.fork()
        if first == 0:
            second = os.fork()
            if second == 0:
                os.close(pid_w)
                try:
                    become_case(control, fds[:6])
                finally:
                    os._exit(70)
            os.write(pid_w, b"%d" % second)
            os._exit(0)
        for fd in fds:
            os.close(fd)
        while True:
            try:
                os.waitpid(first, 0)
                break
            except InterruptedError:
                continue
            except ChildProcessError:
                break
        control.sendall(b"forked")
    else:
        for fd in fds:
            os.close(fd)
        control.sendall(b"unknown")


def serve(control):
    while True:
        try:
            message, fds, _flags, _addr = socket.recv_fds(control, 1 << 16, 8)
        except InterruptedError:
            continue
        if not message:
            os._exit(0)
        answer(control, message, fds)


def main():
    for sig in range(1, signal.NSIG):
        if sig in (signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD):
            continue
        try:
            signal.signal(sig, signal.SIG_IGN)
        except (OSError, ValueError):
            pass
    set_dumpable(0)
    control = socket.socket(fileno=CONTROL_FD)
    gc.freeze()
    control.sendall(b"ready")
    serve(control)


if __name__ == "__main__":
    try:
        main()
    except BaseException:
        os._exit(1)
