"""The command check: the real site passes; every planted mistake in a copy of a real page is caught."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from macros.__main__ import main
from macros.cmdmodel import json_schema, pin_label, releases_from, version_label
from macros.cmdparse import blocks, split_commands
from macros.commands import check_site, load_commands

from .conftest import ROOT

CATALOGUE = ROOT / "catalogue" / "commands.yml"
DOCS = ROOT / "docs"
UNKNOWN = "unknown: add it to the catalogue with a source"


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def plant(tmp_path: Path, rel: str, old: str, new: str) -> tuple[Path, int]:
    """Copy a real page, replace one piece of it, and return the copy and the line of the change."""
    text = (DOCS / rel).read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} is no longer on {rel}: pick another line to plant in"
    page = tmp_path / "docs" / rel
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    return page, text[: text.index(old)].count("\n") + 1


def problems_on(capsys: pytest.CaptureFixture[str], page: Path, *extra: str) -> list[str]:
    code, out, err = run(capsys, "--docs", str(page.parents[1]), *extra, "commands", str(page))
    assert code == 1, out
    assert err == f"{len(out)} problem{'s' if len(out) != 1 else ''} found\n"
    assert "Traceback" not in err
    return out


# --- the real site ------------------------------------------------------------------------------


def test_the_real_site_passes_with_a_one_line_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "commands")
    assert (code, err) == (0, ""), "\n".join(out)
    assert len(out) == 1
    assert out[0].startswith("commands: ")
    assert "pages and 5 decision files" in out[0]


def test_the_committed_schema_is_the_generated_one() -> None:
    committed = json.loads((ROOT / "catalogue" / "commands.schema.json").read_text())
    assert committed == json_schema(), "regenerate it: .venv/bin/python -m macros schema --commands > catalogue/commands.schema.json"


def test_every_catalogued_command_and_parameter_has_versions_and_a_source() -> None:
    index = load_commands(CATALOGUE)
    for command in index.catalogue.commands:
        assert command.source.startswith("http"), command.name
        assert expand_ok(command.versions), command.name
        for name, spec in command.parameters.items():
            if spec is not None and spec.versions is not None:
                assert expand_ok(spec.versions), f"{command.name} {name}"


def expand_ok(versions: object) -> bool:
    from macros.cmdmodel import expand

    return bool(expand(versions))  # type: ignore[arg-type]


def test_the_site_config_names_the_catalogue_so_the_build_checks_commands() -> None:
    text = (ROOT / "mkdocs.yml").read_text()
    assert "drg_command_catalogue: catalogue/commands.yml" in text
    assert "reference/commands.md" in text


def test_every_command_used_on_the_site_appears_in_the_usage_index() -> None:
    index = load_commands(CATALOGUE)
    report = check_site(index, DOCS, ROOT / "decisions")
    assert not report.problems
    assert "procedures/e2010-dag-switchover.md" in report.usage["Move-ActiveMailboxDatabase"]
    assert "procedures/e2007-recover-cms.md" in report.usage["Setup"]
    assert ("Move-ActiveMailboxDatabase", "MountDialOverride") in report.used_parameters
    assert report.commands > 300
    assert report.parameters > 300


# --- planted errors: the kinds the issue names ---------------------------------------------------


def test_a_parameter_from_exchange_2013_on_a_2010_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = '-ActivateOnServer <TargetMBX> -SkipLagChecks -MoveComment "<Comment>"'
    page, line = plant(
        tmp_path, "procedures/e2010-dag-switchover.md", old, old.replace("-SkipLagChecks", "-SkipMaximumActiveDatabasesChecks")
    )
    assert problems_on(capsys, page) == [
        f"{page}:{line}: Move-ActiveMailboxDatabase -SkipMaximumActiveDatabasesChecks: not in Exchange 2010 (this block is for 2010); it exists in 2013 to SE"
    ]


def test_a_misspelt_cmdlet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, line = plant(
        tmp_path, "procedures/e2010-reseed-dag-copy.md", "Resume-MailboxDatabaseCopy -Identity", "Resume-MailboxDatabaseCopi -Identity"
    )
    (out,) = problems_on(capsys, page)
    # The closest names first; the count of the rest grows with the catalogue, so it is not pinned.
    known = "(known: Resume-MailboxDatabaseCopy, Remove-MailboxDatabaseCopy, Set-MailboxDatabaseCopy, ... and "
    assert out.startswith(f"{page}:{line}: Resume-MailboxDatabaseCopi: {UNKNOWN} {known}")
    assert out.endswith(" more)")


def test_an_exchange_2010_cmdlet_on_a_2007_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = 'Move-ClusteredMailboxServer -Identity <CMSName> -TargetMachine <TargetNode> -MoveComment "Planned handoff"\n'
    new = 'Move-ActiveMailboxDatabase <CMSName> -ActivateOnServer <TargetNode> -MoveComment "Planned handoff"\n'
    page, line = plant(tmp_path, "procedures/e2007-ccr-handoff-failover.md", old, new)
    assert problems_on(capsys, page) == [
        f"{page}:{line}: Move-ActiveMailboxDatabase: not in Exchange 2007 (this block is for 2007); it exists in 2010 to SE"
    ]


def test_a_setup_switch_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, line = plant(tmp_path, "procedures/e2007-recover-server.md", "Setup.com /m:RecoverServer", "Setup.com /RecoverServer")
    (out,) = problems_on(capsys, page)
    assert out.startswith(f"{page}:{line}: Setup.com /RecoverServer: {UNKNOWN} (known: /RecoverCMS, ")


def test_a_tool_switch_written_with_an_equals_sign_is_checked_by_its_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, line = plant(
        tmp_path,
        "procedures/outlook-2003-rehome.md",
        "exprofre.exe /targetgc=<GCServer> /logfile",
        "exprofre.exe /targetgcc=<GCServer> /logfile",
    )
    (out,) = problems_on(capsys, page)
    assert out.startswith(f"{page}:{line}: exprofre.exe /targetgcc: {UNKNOWN} (known: /targetgc, ")


def test_a_setup_mode_value_that_is_not_catalogued(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, line = plant(tmp_path, "procedures/e2007-recover-server.md", "Setup.com /m:RecoverServer", "Setup.com /m:RecoverServr")
    assert problems_on(capsys, page) == [
        f"{page}:{line}: Setup.com /m: value 'RecoverServr' is not in the catalogue (known: RecoverServer)"
    ]


def test_a_parameter_of_another_cmdlet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = "Mount-Database -Identity <TargetServer>\\<TargetStorageGroup>\\<TargetDatabase>\n"
    page, line = plant(tmp_path, "procedures/e2007-scr-activate-standalone.md", old, old.replace("\n", " -StandbyMachine <TargetServer>\n"))
    (out,) = problems_on(capsys, page)
    assert out.startswith(f"{page}:{line}: Mount-Database -StandbyMachine: {UNKNOWN} (known: ")
    assert out.endswith(
        "; -StandbyMachine is a parameter of Disable-StorageGroupCopy, Enable-StorageGroupCopy, Get-StorageGroupCopyStatus, Restore-StorageGroupCopy and others"
    )


def test_a_field_practice_switch_outside_an_unverified_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = "    ```bat\n    Setup.com /RecoverCMS /CMSName:<CMSName> /CMSIPAddress:<IP>\n"
    new = '    ```bat title="Exchange 2007 SP1"\n    Setup.com /RecoverCMS /CMSName:<CMSName> /CMSIPv4Addresses:<IP>\n'
    page, line = plant(tmp_path, "procedures/e2007-recover-cms.md", old, new)
    assert problems_on(capsys, page) == [
        f"{page}:{line + 1}: Setup.com /CMSIPv4Addresses: field practice, not documented by Microsoft: "
        "put the block inside an !!! unverified or !!! workaround admonition"
    ]


def test_the_same_switch_inside_an_unverified_admonition_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "commands", "docs/procedures/e2007-recover-cms.md")
    assert code == 0, out


def test_an_sp1_parameter_in_a_block_for_every_2007_release(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, line = plant(
        tmp_path, "procedures/e2007-reseed-ccr-scr.md", '```powershell title="Exchange 2007 SP1"\n    Suspend', "```powershell\n    Suspend"
    )
    assert problems_on(capsys, page) == [
        f"{page}:{line + 1}: Suspend-StorageGroupCopy -StandbyMachine: not in Exchange 2007 RTM (this block is for 2007); it exists in 2007 SP1 to SP3: "
        'if the block is only for 2007 SP1, give it title="Exchange 2007 SP1"'
    ]


def test_a_block_on_a_multi_version_page_must_say_which_version_it_is_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, line = plant(
        tmp_path,
        "procedures/dial-tone-recovery.md",
        '```powershell title="Exchange 2010"\n    Get-Mailbox',
        "```powershell\n    Get-Mailbox",
    )
    assert problems_on(capsys, page) == [
        f"{page}:{line + 1}: Set-Mailbox: not in Exchange 2007 (this block is for 2007 to 2010); it exists in 2010 to SE: "
        'if the block is only for 2010, give it title="Exchange 2010"'
    ]


def test_a_tab_label_says_which_version_its_blocks_are_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "docs" / "procedures" / "tabs.md"
    page.parent.mkdir(parents=True)
    body = '=== "Exchange 2007"\n\n    ```powershell\n    Get-StorageGroup -Server <S>\n    ```\n\n=== "Exchange 2010"\n\n    ```powershell\n    Get-StorageGroup -Server <S>\n    ```\n'
    page.write_text('---\nexchange: ["2007", "2010"]\n---\n\n# Tabs\n\n' + body)
    assert problems_on(capsys, page) == [f"{page}:16: Get-StorageGroup: not in Exchange 2010 (this block is for 2010); it exists in 2007"]


def test_a_block_label_that_names_no_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, line = plant(tmp_path, "procedures/dial-tone-recovery.md", 'title="Exchange 2010 RTM"', 'title="Exchange 2011"')
    (out,) = problems_on(capsys, page)
    assert out.startswith(
        f"{page}:{line}: block: label 'Exchange 2011' names no Exchange version (write e.g. 'Exchange 2010 SP1'; known: 2003, 2007, "
    )


def test_a_block_label_outside_the_page_versions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, line = plant(tmp_path, "procedures/e2007-reseed-ccr-scr.md", 'title="Exchange 2007 SP1"', 'title="Exchange 2010"')
    out = problems_on(capsys, page)
    assert (
        out[0]
        == f"{page}:{line}: block: label 'Exchange 2010' is outside the page's versions (2007): add them to exchange: in the front matter"
    )


def test_a_misspelt_cmdlet_in_the_prose_of_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, line = plant(tmp_path, "procedures/e2007-recover-cms.md", "`Move-ClusteredMailboxServer`", "`Move-ClusteredMailboxServr`")
    (out,) = problems_on(capsys, page)
    assert out.startswith(f"{page}:{line}: Move-ClusteredMailboxServr: {UNKNOWN} (known: Move-ClusteredMailboxServer, ")


def test_a_page_version_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, line = plant(tmp_path, "procedures/e2010-dag-switchover.md", 'exchange: ["2010"]', 'exchange: ["2010 SP4"]')
    (out,) = problems_on(capsys, page)
    assert out.startswith(f"{page}:{line}: front matter: exchange: '2010 SP4' is not an Exchange version (known: 2003, 2007, 2007 RTM, ")


def test_an_unknown_command_in_decision_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    decisions = tmp_path / "decisions"
    decisions.mkdir()
    text = (ROOT / "decisions" / "reconnect-clients.yml").read_text()
    old = "`Set-MailboxDatabase <DB> -RpcClientAccessServer\n"
    assert old in text
    (decisions / "reconnect-clients.yml").write_text(text.replace(old, "`Set-MailboxDatabase <DB> -RpcClientAccesServer\n"))
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, _ = run(capsys, "--docs", str(docs), "--decisions", str(decisions), "commands")
    line = text[: text.index(old)].count("\n") + 1
    assert code == 1
    assert out[0].startswith(
        f"{decisions / 'reconnect-clients.yml'}:{line}: Set-MailboxDatabase -RpcClientAccesServer: {UNKNOWN} (known: -RpcClientAccessServer"
    )


def test_all_problems_of_a_page_are_reported_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, _ = plant(tmp_path, "procedures/e2010-reseed-dag-copy.md", "Resume-MailboxDatabaseCopy", "Resume-MailboxDatabaseCopi")
    text = page.read_text().replace("Suspend-MailboxDatabaseCopy -Identity", "Suspend-MailboxDatabaseCopy -Identityy")
    page.write_text(text)
    out = problems_on(capsys, page)
    assert [line.split(": ")[1] for line in out] == ["Suspend-MailboxDatabaseCopy -Identityy", "Resume-MailboxDatabaseCopi"]


# --- a malformed catalogue: located, no traceback ----------------------------------------------------


def broken_catalogue(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    text = CATALOGUE.read_text()
    assert old in text
    path = tmp_path / "commands.yml"
    path.write_text(text.replace(old, new, 1))
    return path, text[: text.index(old)].count("\n") + 1


def catalogue_problems(capsys: pytest.CaptureFixture[str], path: Path) -> list[str]:
    code, out, err = run(capsys, "commands", "--catalogue", str(path))
    assert code == 1
    assert "Traceback" not in err
    return out


def test_a_catalogue_syntax_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, line = broken_catalogue(tmp_path, "  - name: Get-StorageGroup\n", "  - name: [Get-StorageGroup\n")
    assert catalogue_problems(capsys, path) == [f"{path}:{line + 1}: yaml: syntax error: did not find expected ',' or ']'"]


def test_a_catalogue_unknown_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, line = broken_catalogue(tmp_path, "    kind: cmdlet\n", "    kind: cmdlet\n    sourse: x\n")
    assert catalogue_problems(capsys, path) == [
        f"{path}:{line + 1}: command 'Get-StorageGroup': unknown key 'sourse' "
        "(allowed: name, kind, purpose, versions, documented, source, note, aliases, switch_prefix, subcommands, parameters)"
    ]


def test_a_catalogue_bad_version_string(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, line = broken_catalogue(
        tmp_path, 'versions: {from: "2007 SP1", until: "2007 SP3"}', 'versions: {from: "2007 SP4", until: "2007 SP3"}'
    )
    (out,) = catalogue_problems(capsys, path)
    assert out.startswith(
        f"{path}:{line}: command 'Get-StorageGroupCopyStatus' parameter 'StandbyMachine': from: '2007 SP4' is not an Exchange version (known: 2003, 2007, 2007 RTM"
    )


def test_a_catalogue_bare_service_pack_without_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = '    versions: ["2007"]\n    source: https://learn.microsoft.com/en-us/previous-versions/office/exchange-server-2007/aa998331(v=exchg.80)\n    note: "The archived Exchange 2007 reference covers SP1 to SP3 and does not say whether RTM had it."\n'
    path, line = broken_catalogue(tmp_path, old, old.rsplit("    note:", 1)[0])
    assert catalogue_problems(capsys, path) == [
        f"{path}:{line - 3}: command 'Get-StorageGroup': needs a 'note' saying which service pack is not known, and why"
    ]


def test_a_catalogue_versions_of_the_wrong_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, line = broken_catalogue(tmp_path, '    versions: ["2007"]\n', '    versions: "2007"\n')
    assert catalogue_problems(capsys, path) == [
        f'{path}:{line}: command \'Get-StorageGroup\': versions must be a range {{from: ..., until: ...}} or a list of versions, such as ["2007 SP1", "2010"]'
    ]


def test_a_catalogue_duplicate_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, line = broken_catalogue(tmp_path, "  - name: Get-StorageGroupCopyStatus\n", "  - name: Get-StorageGroup\n")
    assert catalogue_problems(capsys, path) == [
        f"{path}:{line}: command 'Get-StorageGroup': name 'Get-StorageGroup' is already used by 'Get-StorageGroup'"
    ]


def test_a_missing_catalogue_is_reported_not_raised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = catalogue_problems(capsys, tmp_path / "nope.yml")
    assert out == [f"{tmp_path / 'nope.yml'}:1: file: cannot be read: No such file or directory"]


# --- the parser and the version vocabulary ----------------------------------------------------------


def test_pipelines_statements_continuations_comments_and_script_blocks() -> None:
    text = "Get-Mailbox -Database <DB> | where {$_.Name -eq 'a b'} | fl; Get-Queue `\n  -Server <S> # -NotAParameter\n$x = Get-Mailbox"
    commands = [[w.text for w in c] for c in split_commands(text, 10)]
    assert commands == [
        ["Get-Mailbox", "-Database", "<DB>"],
        ["where", "{$_.Name -eq 'a b'}"],
        ["fl"],
        ["Get-Queue", "-Server", "<S>"],
        ["$x", "=", "Get-Mailbox"],
    ]
    lines = [[w.line for w in c] for c in split_commands(text, 10)]
    assert lines[3] == [10, 11, 11]


def test_blocks_know_their_language_title_tab_and_admonition() -> None:
    text = (
        '```powershell title="Exchange 2010"\nGet-Mailbox\n```\n\n'
        '!!! unverified "x"\n    ```bat\n    setspn -L a\n    ```\n\n'
        '=== "Exchange 2007"\n\n    ```powershell\n    Get-StorageGroup\n    ```\n\n```text\nout\n```\n'
    )
    found = blocks(text)
    assert [(b.line, b.language, b.title, b.tab, b.unverified) for b in found] == [
        (1, "powershell", "Exchange 2010", None, False),
        (6, "bat", None, None, True),
        (12, "powershell", None, "Exchange 2007", False),
        (16, "text", None, None, False),
    ]
    assert found[1].lines == [(7, "setspn -L a")]


def test_a_fence_inside_an_example_fence_is_text_not_a_block() -> None:
    text = "~~~markdown\n```powershell\nGet-Mailboxx\n```\n~~~\n\n```text\n    ```\nstill text\n```\n"
    found = blocks(text)
    assert [(b.line, b.language) for b in found] == [(1, "markdown"), (7, "text")]
    assert found[1].lines == [(8, "    ```"), (9, "still text")]


def test_version_names() -> None:
    assert releases_from("2007") == ["2007 RTM", "2007 SP1", "2007 SP2", "2007 SP3"]
    assert releases_from("2010 SP2") == ["2010 SP2", "2010 SP3"]
    assert releases_from("2012") == []
    assert version_label(["2007 SP1", "2007 SP2", "2007 SP3", "2010 RTM"]) == "2007 SP1 to 2010 RTM"
    assert pin_label(["2007 SP1", "2007 SP2", "2007 SP3", "2010 RTM", "2010 SP1", "2010 SP2", "2010 SP3"]) == "2007 SP1 and 2010"


def test_the_check_never_writes_to_the_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(DOCS / "procedures", docs / "procedures")
    before = {p: p.read_bytes() for p in docs.rglob("*.md")}
    code, _, _ = run(capsys, "--docs", str(docs), "--decisions", str(tmp_path), "commands")
    assert code == 0
    assert {p: p.read_bytes() for p in docs.rglob("*.md")} == before


# --- the site build ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_wrong_command_on_a_page_fails_the_build_with_the_located_line(tmp_path: Path) -> None:
    from .conftest import mkdocs_build

    site = tmp_path / "tiny"
    (site / "docs" / "procedures").mkdir(parents=True)
    (site / "decisions").mkdir()
    (site / "docs" / "index.md").write_text("# Tiny\n")
    page = '---\nexchange: ["2010"]\n---\n\n# Switch\n\n```powershell\nMove-ActiveMailboxDatabase <DB> -SkipCpuChecks\n```\n'
    (site / "docs" / "procedures" / "switch.md").write_text(page)
    (site / "mkdocs.yml").write_text(
        "site_name: Tiny\nuse_directory_urls: false\n"
        f"hooks: [{ROOT / 'macros' / 'mkdocs_hooks.py'}]\n"
        "theme: {name: material, font: false}\n"
        "plugins:\n  - macros: {modules: [macros], on_error_fail: true, on_undefined: strict, render_by_default: false}\n"
        f"extra: {{drg_command_catalogue: {CATALOGUE}}}\n"
    )
    result = mkdocs_build(site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert "1 problem in the commands on the site (python -m macros commands):" in result.stderr
    assert (
        "docs/procedures/switch.md:8: Move-ActiveMailboxDatabase -SkipCpuChecks: not in Exchange 2010 (this block is for 2010); it exists in 2016 to SE"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "procedures" / "switch.html").exists()


@pytest.mark.slow
def test_the_reference_page_lists_commands_versions_sources_and_backlinks(built_site: Path) -> None:
    html = (built_site / "reference" / "commands.html").read_text()
    assert 'id="cmd-move-activemailboxdatabase"' in html
    assert 'id="cmd-setup"' in html
    section = html.split('id="cmd-move-activemailboxdatabase"', 1)[1].split("<h2", 1)[0]
    assert 'href="../procedures/e2010-dag-switchover.html"' in section
    assert "https://learn.microsoft.com/powershell/module/exchangepowershell/move-activemailboxdatabase" in section
    assert "<strong>-MountDialOverride</strong>" in section
    assert "2013 to SE" in section  # -ActivatePreferredOnServer: not in 2010
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    assert any(doc["location"].startswith("reference/commands.html#cmd-move-activemailboxdatabase") for doc in index["docs"])
