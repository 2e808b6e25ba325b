"""Gives this Python the distributions of python-packages.txt at their pinned versions, checks that
each imports, and records what the image holds.

On the offline Debian base every distribution comes from apt, so nothing is installed and no index is
needed. On the official python:*-slim images none is there, and pip installs each one at exactly its
pinned version with --no-deps: the list is the whole set, so pip never picks a version of its own.

    python3 install-packages.py python-packages.txt versions.json
    python3 install-packages.py --check python-packages.txt versions.json   # exit 3 on a difference

versions.json: {"python": "3.13.5", "packages": {"<normalised name>": "<version>", ...}} for every
distribution installed, listed or not. The runner compares it with the list at start-up.
"""

import importlib
import importlib.metadata
import json
import re
import subprocess
import sys


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_list(path):
    """[(distribution, version, import name or None)], the python row aside."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            if len(fields) != 4:
                sys.exit("%s:%d: expected 4 columns (distribution, version, import name, Debian package), got %d"
                         % (path, number, len(fields)))
            dist, version, module, _debian = fields
            if dist == "python":
                continue
            rows.append((dist, version, None if module == "-" else module))
    return rows


def installed():
    found = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[normalise(name)] = dist.version
    return found


def main(list_path, record_path):
    rows = read_list(list_path)
    have = installed()
    missing = ["%s==%s" % (dist, version) for dist, version, _ in rows if normalise(dist) not in have]
    if missing:
        print("pip install --no-deps " + " ".join(missing), flush=True)
        cmd = [sys.executable, "-m", "pip", "install", "--no-cache-dir", "--disable-pip-version-check",
               "--root-user-action=ignore", "--no-deps", *missing]
        if subprocess.call(cmd) != 0:
            return 1
        have = installed()

    problems = []
    for dist, version, module in rows:
        actual = have.get(normalise(dist))
        if actual is None:
            problems.append("%s is not installed" % dist)
        elif actual != version:
            # Not fatal: the offline base holds whatever its Debian suite ships today. The content
            # tests and the runner's start-up check name the difference.
            print("warning: %s is %s, pinned %s" % (dist, actual, version), flush=True)
        if module is not None:
            try:
                importlib.import_module(module)
            except Exception as exc:  # a missing dependency shows up here, at build time
                problems.append("import %s (%s) failed: %s: %s" % (module, dist, type(exc).__name__, exc))
    if problems:
        print("the sandbox's Python environment is incomplete:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1

    record = {"python": "%d.%d.%d" % sys.version_info[:3], "packages": dict(sorted(have.items()))}
    with open(record_path, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print("recorded %d distributions in %s" % (len(have), record_path))
    return 0


def check(list_path, record_path):
    """Names every listed distribution whose recorded version is not the pinned one."""
    with open(record_path, encoding="utf-8") as f:
        record = json.load(f)
    differences = []
    for dist, version, _ in read_list(list_path):
        actual = record["packages"].get(normalise(dist))
        if actual != version:
            differences.append("%s %s (pinned %s)" % (dist, actual or "missing", version))
    if differences:
        print("sandbox packages that differ from %s: %s" % (list_path, ", ".join(differences)))
        return 3
    print("sandbox packages match %s (Python %s)" % (list_path, record["python"]))
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    sys.exit(main(sys.argv[1], sys.argv[2]))
