"""Layer (a): organisation profiles: the example passes, each kind of broken profile is refused
with exact located messages and no traceback, and a page's candidates come from the profile."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from macros.__main__ import main
from macros.html.profile import choices, json_schema, load_profile

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "profile.yml"
SOURCE = EXAMPLE.read_text(encoding="utf-8")

# (name, edit of the example (old, new), exact output lines with PATH for the file)
BROKEN = [
    (
        "syntax",
        ("organisation: Fabrikam Example Ltd", "organisation: [Fabrikam"),
        ["PATH:8: yaml: syntax error: did not find expected ',' or ']'"],
    ),
    (
        "ipv4",
        ("ips: [192.0.2.15]", "ips: [192.0.2.300]"),
        [
            "PATH:80: clustered server 'FBK07-CMS1': ips item 1 '192.0.2.300' is not an IPv4 address (four numbers from 0 to 255 joined by dots, e.g. 192.0.2.10)"
        ],
    ),
    (
        "fqdn",
        ("fqdn: fbk07-n2.fabrikam.example", "fqdn: fbk07 n2"),
        ["PATH:23: server 'FBK07-N2': fqdn 'fbk07 n2' is not a fully qualified name (labels joined by dots, e.g. mail.contoso.example)"],
    ),
    (
        "path",
        ("log_path: L:\\FBK-SG2\\Logs", "log_path: Logs/SG2"),
        [
            "PATH:90: storage group 'FBK-SG2': log_path 'Logs/SG2' is not a Windows path (a drive such as D:\\ or a share \\\\server\\, then letters, digits, spaces, . _ - \\)"
        ],
    ),
    (
        "exchange-version",
        ('version: "2007 SP3"\n    windows: "2008"\n    site: FBK-Leeds', 'version: "2007 SP4"\n    windows: "2008"\n    site: FBK-Leeds'),
        [
            "PATH:32: server 'FBK07-SCR1': version '2007 SP4' is not an Exchange version with its service pack: "
            "2003, 2003 SP1, 2003 SP2, 2007, 2007 SP1 to SP3, 2010, 2010 SP1 to SP3"
        ],
    ),
    (
        "windows-version",
        (
            'windows: "2008 R2"\n    site: FBK-Leeds\n    ips: [198.51.100.32]',
            'windows: "2016"\n    site: FBK-Leeds\n    ips: [198.51.100.32]',
        ),
        ["PATH:54: server 'FBK10-MBX2': windows text '2016' is not one of: '2003', '2003 R2', '2008', '2008 R2' or '2012'"],
    ),
    (
        "ttl",
        ("ttl: 60", "ttl: soon"),
        ["PATH:123: client name 'outlook-fbk.fabrikam.example': ttl must be a whole number, not text 'soon'"],
    ),
    (
        "cluster-node",
        ("nodes: [FBK07-N1, FBK07-N2]", "nodes: [FBK07-N1, FBK07-N9]"),
        [
            "PATH:75: cluster 'FBK07-CL1': node 'FBK07-N9' is not one of the profile's servers (the profile lists servers: "
            "FBK07-N1, FBK07-N2, FBK07-SCR1, FBK07-HUB1, FBK10-MBX1, FBK10-MBX2, FBK10-CAS1, FBK10-CAS2)"
        ],
    ),
    (
        "dag-member",
        ("members: [FBK10-MBX1, FBK10-MBX2]", "members: [FBK10-MBX1, FBK10-MBX3]"),
        [
            "PATH:98: dag 'FBK-DAG1': member 'FBK10-MBX3' is not one of the profile's servers (the profile lists servers: "
            "FBK07-N1, FBK07-N2, FBK07-SCR1, FBK07-HUB1, FBK10-MBX1, FBK10-MBX2, FBK10-CAS1, FBK10-CAS2)",
            "PATH:109: database 'FBK-MDB01': copy on 'FBK10-MBX2', which is not a member of DAG 'FBK-DAG1' (members: FBK10-MBX1, FBK10-MBX3)",
        ],
    ),
    (
        "witness",
        ("witness: {server: FBK10-CAS1", "witness: {server: FBK10-CAS9"),
        ["PATH:100: dag 'FBK-DAG1': witness server 'FBK10-CAS9' is not one of the profile's servers"],
    ),
    (
        "site",
        ("site: FBK-Leeds\n    ips: [198.51.100.21]", "site: FBK-Paris\n    ips: [198.51.100.21]"),
        [
            "PATH:34: server 'FBK07-SCR1': site 'FBK-Paris' is not one of the profile's sites (the profile lists sites: FBK-London, FBK-Leeds)"
        ],
    ),
    (
        "duplicate-name",
        ("  - name: FBK07-HUB1\n", "  - name: FBK07-N1\n"),
        ["PATH:36: server 'FBK07-N1': the name 'FBK07-N1' is already used at line 15; names must be unique (case-insensitive)"],
    ),
    (
        "unknown-key",
        ("  - name: FBK-Leeds\n", "  - name: FBK-Leeds\n    colour: blue\n"),
        ["PATH:12: site 'FBK-Leeds': unknown key 'colour' (allowed: name, description)"],
    ),
    (
        "alias",
        ("organisation: Fabrikam Example Ltd", "organisation: &a Fabrikam Example Ltd\nx: *a"),
        ["PATH:7: yaml: alias '*a' is not allowed: write the value out (answers share a question through next:, not through YAML aliases)"],
    ),
    (
        "python-tag",
        ("organisation: Fabrikam Example Ltd", "organisation: !!python/object:os.system ls"),
        ["PATH:6: yaml: YAML tag '!!python/object:os.system' is not allowed: use plain text, lists and mappings"],
    ),
    (
        "duplicate-key",
        ("organisation: Fabrikam Example Ltd", "organisation: Fabrikam Example Ltd\norganisation: Other"),
        ["PATH:7: yaml: duplicate key 'organisation' (first at line 6); YAML would silently keep only one of them"],
    ),
]


def broken(tmp_path: Path, name: str, edit: tuple[str, str]) -> Path:
    old, new = edit
    assert SOURCE.count(old) == 1, f"the edit for {name} must match the example exactly once"
    path = tmp_path / f"{name}.yml"
    path.write_text(SOURCE.replace(old, new), encoding="utf-8")
    return path


def test_example_profile_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "profile of Fabrikam Example Ltd: 8 servers, 1 cluster, 1 DAG, 5 client names, 3 contacts" in out


@pytest.mark.parametrize(("name", "edit", "expected"), BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_profile_is_refused_with_located_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, edit: tuple[str, str], expected: list[str]
) -> None:
    path = broken(tmp_path, name, edit)
    assert main(["profile", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [line.replace("PATH", str(path)) for line in expected]
    assert "Traceback" not in out + err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", ":1: yaml: the file is empty"),
        (b"- a\n- b\n", ":1: profile: the file must hold a mapping, not a list"),
        (b"organisation: x\x00\n", ":1: file: contains a NUL byte; is it a text file?"),
        (b"a: " + b"[" * 100 + b"]" * 100 + b"\n", ":1: yaml: nested deeper than 40 levels"),
        (b"organisation: X\nsites: []\nservers: []\n", ":2: profile: sites needs at least 1 item(s)"),
    ],
    ids=["empty", "list", "nul", "deep", "nothing-listed"],
)
def test_hostile_or_empty_profiles_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str) -> None:
    path = tmp_path / "profile.yml"
    path.write_bytes(content)
    assert main(["profile", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}{expected}" in out.splitlines()


def test_cli_prints_no_traceback_for_a_broken_profile(tmp_path: Path) -> None:
    path = broken(tmp_path, "ip", ("ips: [192.0.2.15]", "ips: [192.0.2.300]"))
    result = subprocess.run([sys.executable, "-m", "macros", "profile", str(path)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith(f"{path}:80: clustered server 'FBK07-CMS1': ")


def test_committed_schema_is_generated_from_the_model() -> None:
    committed = json.loads((ROOT / "examples" / "profile.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run: python -m macros schema --profile > examples/profile.schema.json"
    assert committed["additionalProperties"] is False


def test_choices_fill_a_cms_and_its_address_together_and_a_storage_group_with_its_paths() -> None:
    profile = load_profile(EXAMPLE)
    page = {
        "CMSName": {"kind": "hostname"},
        "IP": {"kind": "ipv4"},
        "StorageGroup": {"kind": "exchange-object"},
        "EdbPath": {"kind": "path"},
    }
    offered = choices(profile, page)
    assert offered is not None
    groups = {group["id"]: group["options"] for group in offered["groups"]}
    assert groups["cms"][0]["values"] == {"CMSName": "FBK07-CMS1", "IP": "192.0.2.15"}
    assert {"StorageGroup": "FBK-SG2", "EdbPath": "E:\\FBK-SG2\\FBK-DB2.edb"} in [o["values"] for o in groups["database"]]
    assert "FBK07-N1" in offered["lists"]["CMSName"]
    assert "192.0.2.11" in offered["lists"]["IP"]
    assert choices(profile, {"Comment": {"kind": "text"}}) is None
