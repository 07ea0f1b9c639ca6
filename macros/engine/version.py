"""The site version printed in tickets and on the binder: git commit and build date."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path


def site_version(project_dir: Path) -> dict[str, str]:
    """Return {'commit', 'date', 'label'}; SOURCE_DATE_EPOCH fixes the date for reproducible builds."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=10", "HEAD"],
            cwd=project_dir,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=project_dir,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        if dirty:
            commit += "-modified"
    except (OSError, subprocess.SubprocessError):
        commit = "unknown"
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    date = when.strftime("%Y-%m-%d")
    return {"commit": commit, "date": date, "label": f"{commit} built {date}"}
