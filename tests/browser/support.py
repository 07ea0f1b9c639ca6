"""What the browser tests and the click benchmark share: Chromium's flags and a local static server."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Headless, and no background traffic: this machine reaches no other host, and tests must not try.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder over http on 127.0.0.1 (a free port, threaded); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


# The search box and its results, per theme: Material's box is in the page; Zensical's search is
# a dialog in an open shadow root, opened by its button (Playwright's CSS selectors pierce it,
# document.querySelectorAll does not, hence locators here).
MATERIAL_INPUT = ".md-search__input"
ZENSICAL_BUTTON = ".md-search__button"


def search_results(page: Any, start: str, query: str, pages_only: bool = False) -> list[str]:
    """Type a query into the real search box of a freshly opened page; the result links, best first.

    The links are absolute URLs. With ``pages_only``, Material's list gives each page's first link
    only (not the sections under it); Zensical's list is flat, one link per section. The page is
    opened anew for each query, so no list left by an earlier query can be taken for this one's.
    """
    page.goto(start)
    if page.locator(MATERIAL_INPUT).count():
        page.fill(MATERIAL_INPUT, query)
        page.press(MATERIAL_INPUT, "End")  # Material reads the box on keyup
        # Results are in once the list has items or the meta line says there are none.
        page.wait_for_function(
            """() => document.querySelector('.md-search-result__item') ||
                     /^No /.test(document.querySelector('.md-search-result__meta')?.textContent || '')"""
        )
        links = page.locator(".md-search-result__item > .md-search-result__link" if pages_only else ".md-search-result__link")
    else:
        page.click(ZENSICAL_BUTTON)
        page.keyboard.type(query)
        page.locator('[role="status"]').filter(has_text="result").wait_for()  # "64 results", "No results"
        links = page.locator('[role="listbox"] [role="option"]')
    # Then wait for the list to hold still (the worker answers each keystroke).
    last: list[str] | None = None
    for _ in range(20):
        now = links.evaluate_all("(links) => links.map((a) => a.href)")
        if now == last:
            break
        last = now
        page.wait_for_timeout(100)
    return last or []
