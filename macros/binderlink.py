"""Show the home page's link to the printed binder once the PDF exists (`make binder`).

The home page carries the link hidden (`<p data-drg-binder hidden>` in docs/index.md), so a site
built without the binder never offers a PDF that is not there; writing the binder next to the
site flips that one attribute in the built page. No HTML is built here, only an attribute removed.
"""

from __future__ import annotations

import re
from pathlib import Path

_HIDDEN = re.compile(r"(<p\b[^>]*\bdata-drg-binder\b[^>]*?)\s+hidden(?=[\s/>])")


def show_binder_link(site_dir: Path, pdf: Path) -> bool:
    """Un-hide the binder link of site_dir/index.html when the PDF sits in that site; True if shown."""
    index = site_dir / "index.html"
    try:
        inside = pdf.resolve().parent == site_dir.resolve()
    except OSError:
        return False
    if not inside or not pdf.is_file() or not index.is_file():
        return False
    html = index.read_text(encoding="utf-8")
    shown, count = _HIDDEN.subn(r"\1", html, count=1)
    if count:
        index.write_text(shown, encoding="utf-8")
    return bool(count) or "data-drg-binder" in html
