"""Installs, with pip, the packages of python-packages.txt that this Python cannot already import.

On the offline Debian base every package comes from apt, so nothing is pip-installed and no index is
needed; on the official python:*-slim images everything is missing and pip installs it all.

    python3 install-packages.py python-packages.txt
"""

import importlib.util
import subprocess
import sys


def wanted(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split("#", 1)[0].split()
            if len(fields) >= 2:
                yield fields[0], fields[1]


def main(path):
    missing = [pip_name for pip_name, import_name in wanted(path) if importlib.util.find_spec(import_name) is None]
    if not missing:
        print("every package is already importable; nothing to install")
        return 0
    print("pip install " + " ".join(missing))
    cmd = [sys.executable, "-m", "pip", "install", "--no-cache-dir", "--disable-pip-version-check", *missing]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
