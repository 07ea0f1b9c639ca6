"""Browser fixtures: the built site served on 127.0.0.1, one Chromium, and a guard on every page.

The guard fails a test on any console error or uncaught exception, and on any request to a host
other than 127.0.0.1 (such a request is aborted, never sent). Pages are reused: one context and
one page per session for JavaScript-on tests over http, fresh contexts only where a test needs
other settings (JavaScript off, file://, a refused clipboard).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tools.ensure_chromium import find

from ..conftest import ROOT
from .support import LAUNCH_ARGS, serve

LOCAL_SCHEMES = {"file", "data", "blob", "about"}


class Guard:
    """Collects console errors, uncaught exceptions and requests to other hosts of its pages."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def attach(self, context: Any) -> None:
        context.route("**/*", self._route)
        context.on("page", self._watch)
        for page in context.pages:
            self._watch(page)

    def _watch(self, page: Any) -> None:
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception on {page.url}: {error}"))

    def _console(self, page: Any, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {page.url}: {message.text}")

    def _route(self, route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.problems.append(f"request to another host: {url}")
            route.abort()

    def check(self) -> None:
        """Fail with every problem seen since the last check, then forget them."""
        problems, self.problems = self.problems, []
        assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site over http on 127.0.0.1, a free port, with a threaded server."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (Debian's, never a downloaded one) for the session."""
    executable = find()
    if executable is None:
        pytest.skip("no Chromium: run make browser (or set DRG_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def make_context(browser: Any) -> Iterator[Callable[..., tuple[Any, Guard]]]:
    """Open a guarded browser context with the given settings; all are closed at the end."""
    opened: list[Any] = []

    def make(**settings: Any) -> tuple[Any, Guard]:
        context = browser.new_context(**settings)
        context.set_default_timeout(10_000)
        guard = Guard()
        guard.attach(context)
        opened.append(context)
        return context, guard

    yield make
    for context in opened:
        context.close()


@pytest.fixture(scope="session")
def shared(make_context: Callable[..., tuple[Any, Guard]]) -> tuple[Any, Guard]:
    """The session's one page with JavaScript on and the clipboard allowed, and its guard."""
    context, guard = make_context(viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"])
    return context.new_page(), guard


@pytest.fixture
def page(shared: tuple[Any, Guard]) -> Iterator[Any]:
    """The shared page, checked for console errors and requests to other hosts after each test."""
    page, guard = shared
    guard.check()
    yield page
    guard.check()


@pytest.fixture(scope="session")
def catalog() -> dict[str, Any]:
    """Every guide as ``python -m macros export`` prints it (the public contract)."""
    out = subprocess.run([sys.executable, "-m", "macros", "export"], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)
