"""Layer (a): every kind of broken decision file is refused with the exact, located message."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.__main__ import main

from .conftest import FIXTURES, ROOT, compare_golden

BROKEN = sorted((FIXTURES / "broken").glob("*.yml"))


def run_check(
    capsys: pytest.CaptureFixture[str], *files: Path, max_bytes: int | None = None, decisions: Path = Path("tests/fixtures/valid")
) -> tuple[int, str, str]:
    args = ["--docs", "tests/fixtures/docs", "--decisions", str(decisions)]
    if max_bytes is not None:
        args += ["--max-bytes", str(max_bytes)]
    code = main([*args, "check", *map(str, files)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_fixture_is_refused_with_expected_messages(path: Path, capsys: pytest.CaptureFixture[str], update_golden: bool) -> None:
    before = path.read_bytes()
    code, out, _ = run_check(capsys, path.relative_to(ROOT))
    assert code == 1
    assert out, "a refused file must print at least one problem"
    for line in out.splitlines():  # PATH:LINE: NODE: MESSAGE, the path as given
        assert line.startswith(f"{path.relative_to(ROOT)}:"), line
        assert line.split(":")[1].isdigit(), line
    compare_golden(path.with_suffix(".expected"), out, update_golden)
    assert path.read_bytes() == before, "check must never modify the file"


def test_valid_fixture_passes_and_reports_paths(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_check(capsys, Path("tests/fixtures/valid/small.yml"))
    assert (code, err) == (0, "")
    assert out == "tests/fixtures/valid/small.yml: guide 'small': 2 questions, 2 outcomes, 5 paths, all ending in a procedure\n"


def test_all_problems_of_several_files_are_reported_together(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_check(capsys, FIXTURES / "broken" / "cycle.yml", FIXTURES / "broken" / "bad-id.yml")
    assert code == 1
    files = {line.split(":")[0] for line in out.splitlines()}
    assert files == {"tests/fixtures/broken/cycle.yml", "tests/fixtures/broken/bad-id.yml"}


def hostile(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def only_problem(capsys: pytest.CaptureFixture[str], path: Path, **kwargs: int) -> str:
    code, out, _ = run_check(capsys, path, **kwargs)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1, out
    return lines[0].removeprefix(f"{path}:")


def test_alias_bomb_is_refused_at_the_first_alias(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 30)]
    path = hostile(tmp_path, "bomb.yml", "\n".join(lines).encode())
    code, out, _ = run_check(capsys, path)
    assert code == 1
    first = out.splitlines()[0]
    assert (
        first
        == f"{path}:2: yaml: alias '*a0' is not allowed: write the value out (answers share a question through next:, not through YAML aliases)"
    )
    assert len(out.splitlines()) == 29 * 9


def test_deep_flow_nesting_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = hostile(tmp_path, "deep.yml", b"id: " + b"[" * 200_000 + b"]" * 200_000)
    assert only_problem(capsys, path) == "1: yaml: nested deeper than 40 levels"


def test_deep_block_nesting_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "".join(f"{' ' * i}k{i}:\n" for i in range(60))
    path = hostile(tmp_path, "deep-block.yml", text.encode())
    assert only_problem(capsys, path) == "41: yaml: nested deeper than 40 levels"


def test_nul_byte_is_refused_with_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = hostile(tmp_path, "nul.yml", b"id: a\ntitle: b\x00c\n")
    assert only_problem(capsys, path) == "2: file: contains a NUL byte; is it a text file?"


def test_invalid_utf8_is_refused_with_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = hostile(tmp_path, "latin1.yml", "id: a\n\ntitle: Café\n".encode("latin-1"))
    assert only_problem(capsys, path) == "3: file: is not valid UTF-8 (byte 17)"


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.yml"
    with path.open("wb") as handle:  # sparse: no time or disk spent writing it
        handle.truncate(33 * 1024 * 1024)
    assert only_problem(capsys, path) == f"1: file: is {33 * 1024 * 1024} bytes; the limit is {32 * 1024 * 1024} bytes"
    small = hostile(tmp_path, "small.yml", b"id: " + b"x" * 200)
    assert only_problem(capsys, small, max_bytes=100) == "1: file: is 204 bytes; the limit is 100 bytes"


def test_empty_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = hostile(tmp_path, "empty.yml", b"# only a comment\n")
    assert only_problem(capsys, path) == "1: yaml: the file is empty"


def test_control_character_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = hostile(tmp_path, "bell.yml", b"id: a\x07b\n")
    assert only_problem(capsys, path) == "1: yaml: cannot be read: unacceptable character #x0007: control characters are not allowed"


def test_missing_file_is_reported_not_raised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nope.yml"
    assert only_problem(capsys, path) == "1: file: cannot be read: No such file or directory"


def test_norway_problem_does_not_turn_labels_into_booleans(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (FIXTURES / "valid" / "small.yml").read_text().replace("label: X", "label: No").replace("label: Y", 'label: "2007"')
    path = hostile(tmp_path, "small.yml", text.encode())  # the fixture guide, edited in its own folder
    code, out, _ = run_check(capsys, path, decisions=tmp_path)
    assert code == 0, out


def test_a_file_checked_alone_may_list_symptoms_defined_in_another_file(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "decisions/recover-exchange-2007-cluster.yml"])  # its cluster states are defined in recover-from-outage
    out, _ = capsys.readouterr()
    assert (code, out.count("\n")) == (0, 1), out
