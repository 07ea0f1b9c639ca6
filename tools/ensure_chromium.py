"""Make sure a Chromium for the browser tests is installed (Debian's package), or say clearly why not."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def find() -> str | None:
    """The path of an installed Chromium, honouring DRG_CHROMIUM."""
    explicit = os.environ.get("DRG_CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def main() -> int:
    """Install Debian's chromium when missing and possible; exit 1 with a readable message otherwise."""
    if find():
        return 0
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("Chromium is missing: installing Debian's chromium package for the browser tests...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        steps = (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium", "fonts-dejavu-core"])
        for step in steps:
            if subprocess.run(step, env=env, check=False).returncode != 0:
                break
        if find():
            return 0
    print(
        "The browser tests need Chromium and it could not be installed.\n"
        "  Debian/Ubuntu: sudo apt-get install chromium\n"
        "  Elsewhere: install Chromium or Chrome and set DRG_CHROMIUM=/path/to/chrome",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
