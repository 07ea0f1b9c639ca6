"""Search finds commands: cmdlet names, Setup switches and parameters lead to the procedure that
uses them, in the top three results, and a result opens at the heading where the match is."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import pytest

from .support import search_results

pytestmark = pytest.mark.browser

# Ranking rests on Material's per-page search boost (procedures up, the command reference down:
# macros/adapters/mkdocs_hooks.py). Zensical 0.0.73 writes no boost into its index (search.json has
# no such field, even for front matter `search: boost:`), so on its build these fail; strict, so
# the day a Zensical release honours the boost, this mark has to go (README: Platform).
NO_BOOST = pytest.mark.xfail(
    os.environ.get("DRG_RENDERER") == "zensical", reason="Zensical 0.0.73 has no per-page search boost", strict=True
)

# (query, pages of which one must be among the first three results). Commands and switches as an
# engineer types them, with and without their punctuation, and plain-language symptoms.
QUERIES: list[tuple[str, tuple[str, ...]]] = [
    ("RecoverCMS", ("procedures/e2007-recover-cms.html",)),
    ("/RecoverCMS", ("procedures/e2007-recover-cms.html",)),
    ("Setup.com /RecoverCMS", ("procedures/e2007-recover-cms.html",)),
    ("Setup /m:RecoverServer", ("procedures/e2010-recover-server.html", "procedures/e2007-recover-server.html")),
    ("/m:RecoverServer", ("procedures/e2010-recover-server.html", "procedures/e2007-recover-server.html")),
    (
        "Restore-StorageGroupCopy",
        (
            "procedures/e2007-scr-activate-standalone.html",
            "procedures/e2007-scr-activate-standby-cluster.html",
            "procedures/e2007-ccr-handoff-failover.html",
            "procedures/e2007-recover-server.html",
        ),
    ),
    (
        "-ConfigurationOnly",
        (
            "procedures/e2010-datacenter-switchover.html",
            "procedures/e2007-scr-activate-standalone.html",
            "procedures/e2007-database-portability.html",
            "procedures/dial-tone-recovery.html",
        ),
    ),
    ("Restore-DatabaseAvailabilityGroup", ("procedures/e2010-datacenter-switchover.html",)),
    ("Stop-DatabaseAvailabilityGroup", ("procedures/e2010-datacenter-switchover.html",)),
    ("DatacenterActivationMode", ("procedures/e2010-datacenter-switchover.html", "planning/plan-multisite-dag-dac.html")),
    ("Move-ClusteredMailboxServer", ("procedures/e2007-ccr-handoff-failover.html",)),
    ("Update-StorageGroupCopy", ("procedures/e2007-reseed-ccr-scr.html",)),
    ("Resume-StorageGroupCopy", ("procedures/e2007-reseed-ccr-scr.html",)),
    ("Update-MailboxDatabaseCopy", ("procedures/e2010-reseed-dag-copy.html",)),
    ("Suspend-MailboxDatabaseCopy", ("procedures/e2010-reseed-dag-copy.html",)),
    ("Move-ActiveMailboxDatabase", ("procedures/e2010-dag-switchover.html",)),
    ("-DeleteExistingFiles", ("procedures/e2010-reseed-dag-copy.html", "procedures/e2007-reseed-ccr-scr.html")),
    ("AllowFileRestore", ("procedures/e2007-database-portability.html", "procedures/e2010-database-portability.html")),
    ("New-ClientAccessArray", ("procedures/e2010-cas-array-rpc-client-access.html",)),
    ("RpcClientAccessServer", ("procedures/e2010-cas-array-rpc-client-access.html",)),
    ("setspn", ("procedures/dns-spn-redirect.html",)),
    ("Restore-Mailbox", ("procedures/dial-tone-recovery.html",)),
    ("New-MailboxRestoreRequest", ("procedures/dial-tone-recovery.html",)),
    (
        "Enable-StorageGroupCopy",
        (
            "procedures/e2007-scr-activate-standby-cluster.html",
            "procedures/e2007-scr-activate-standalone.html",
            "planning/plan-ccr-plus-scr.html",
        ),
    ),
    (
        "Get-StorageGroupCopyStatus",
        (
            "procedures/e2007-reseed-ccr-scr.html",
            "procedures/e2007-ccr-handoff-failover.html",
            "procedures/e2007-scr-activate-standalone.html",
            "procedures/e2007-scr-activate-standby-cluster.html",
            "procedures/e2007-recover-cms.html",
        ),
    ),
    ("Test-ReplicationHealth", ("procedures/e2010-dag-switchover.html", "procedures/e2010-recover-server.html")),
    ("dial tone", ("procedures/dial-tone-recovery.html",)),
    ("database portability", ("procedures/e2010-database-portability.html", "procedures/e2007-database-portability.html")),
]


def top_pages(page: Any, start: str, query: str) -> list[str]:
    """The pages of the search results for a query, best first, as the real search box shows them."""
    return list(dict.fromkeys(urlsplit(href).path.lstrip("/") for href in search_results(page, start, query, pages_only=True)))


@NO_BOOST
def test_commands_switches_and_parameters_find_their_procedure_in_the_top_three(page: Any, site_url: str) -> None:
    missed = []
    for query, expected in QUERIES:
        found = top_pages(page, site_url + "index.html", query)
        if not any(url in found[:3] for url in expected):
            missed.append(f"{query!r}: expected one of {expected} in the top three, got {found[:5]}")
    assert not missed, f"{len(QUERIES) - len(missed)}/{len(QUERIES)} found:\n" + "\n".join(missed)


@NO_BOOST
def test_a_procedure_that_runs_a_command_ranks_above_pages_that_only_cite_it(page: Any, site_url: str) -> None:
    # RecoverCMS: run by two procedures, cited by many reference pages and in every Sources section.
    found = top_pages(page, site_url + "index.html", "RecoverCMS")
    runs = ["procedures/e2007-recover-cms.html", "procedures/e2007-scr-activate-standby-cluster.html"]
    assert found[:2] == runs or found[:2] == runs[::-1], found[:5]


def test_a_result_opens_at_the_heading_where_the_match_is_never_at_sources(page: Any, site_url: str) -> None:
    for query in ("RecoverCMS", "Restore-StorageGroupCopy", "-ConfigurationOnly"):
        links = search_results(page, site_url + "index.html", query)
        assert links
        assert not [link for link in links if link.endswith("#sources")], f"{query}: a result opens at Sources"
        sections = [link for link in links if "#" in link and "procedures/" in link]
        assert sections, f"{query}: no result opens at a heading of a procedure"
        term = query.lstrip("-").split("-")[-1]
        page.goto(sections[0])
        text = page.evaluate(
            """() => { const h = document.getElementById(decodeURIComponent(location.hash.slice(1)));
                       let text = h.textContent, n = h.nextElementSibling;
                       while (n && !/^H[1-6]$/.test(n.tagName)) { text += n.textContent; n = n.nextElementSibling; }
                       return text; }"""
        )
        assert term.lower() in text.lower(), f"{query}: {sections[0]} does not hold the match"
