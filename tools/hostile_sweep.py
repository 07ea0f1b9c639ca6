"""Run ``python -m macros check`` on hundreds of hostile decision files and report the figures.

Each file is the small fixture guide with one value or structure made hostile (numbers, nulls,
invisible and control characters, tags, aliases, forged ids, huge and misspelt files...). For
each run: the exit code; whether every output line keeps ``PATH:LINE: NODE: MESSAGE`` with no
traceback and the file unchanged; CPU time and peak memory of the process.

    python -m tools.hostile_sweep            prints the totals, then each accepted file
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = (ROOT / "tests" / "fixtures" / "valid" / "small.yml").read_text(encoding="utf-8")
_LINE = re.compile(r"^decisions/small\.yml:\d+: [^\n]+: [^\n]+$")

# Values put in place of one text field: YAML 1.1/1.2 numbers and booleans, nulls, invisible,
# control and bidi characters, collections, tags, anchors and aliases.
VALUES = [
    *("0800", "1e3", "true", "null", "~", "", ".inf", "0x1F", "1_000", "2007-01-01", "-1018"),
    *('"\\u200b"', '"\\u2060\\ufeff"', '"\\u2800"', '"\\u3164"', '"\\u00ad"', '"\\u034f"', '"\\U000E0020"', '" "', '"\\t"'),
    *('"\\e[2J"', '"\\e]0;t\\a"', '"\\0"', '"a\\nb"', '"\\x85"', '"\\u2028"', '"\\u202e"', '"B\\u202eevil"'),
    *("[a, b]", "{a: 1}", "!!python/object:os.system x", "!!binary aGk=", "&a x", "*a", '"x" # c', "x" * 400),
]
FIELDS = {
    "label": "label: Answer B",
    "title": "title: Small guide",
    "id": "id: small",
    "question-id": "  - id: shared",
    "text": "text: First question?",
    "help": "help: Look at `Get-Thing`.",
    "summary": "summary: Follow **alpha**.",
    "warning": "      - Careful.",
    "procedure": "procedures: [procedures/alpha.md]",
    "next": "next: shared",
    "outcome": "outcome: done-beta",
    "explanation": "explanation: Because *B*.",
}


def _swap(old: str, new: str) -> str:
    assert old in SMALL, old
    return SMALL.replace(old, new, 1)


def _generated(questions: int, chain: bool) -> str:
    """A file of many questions: a chain to one outcome, or every next: misspelt."""
    body = []
    for i in range(questions):
        target = (f"next: q{i + 1}" if i + 1 < questions else "outcome: o") if chain else f"next: x{i}"
        body.append(
            f"  - id: q{i}\n    text: Q{i}?\n    answers:\n      - {{id: a, label: A, {target}}}\n      - {{id: b, label: B, outcome: o}}\n"
        )
    outcome = "  - {id: o, title: O, summary: S, procedures: [procedures/alpha.md]}\n"
    return f"id: small\ntitle: M\nintroduction: B.\nquestions:\n{''.join(body)}outcomes:\n{outcome}"


def cases() -> dict[str, str]:
    """Every hostile file, by name."""
    found: dict[str, str] = {}
    for name, line in FIELDS.items():
        key = line.split(":")[0]
        for i, value in enumerate(VALUES):
            if name == "warning":
                found[f"{name}-{i}"] = _swap(line, f"      - {value}")
            elif name == "procedure":
                found[f"{name}-{i}"] = _swap(line, f"procedures: [{value}]")
            else:
                found[f"{name}-{i}"] = _swap(line, f"{key}: {value}")
    found["forged-id"] = _swap("id: small", "id: \"x\\nforged.yml:1: guide 'g': forged\"")
    found["newline-key"] = SMALL + '"a\\nb": 1\n'
    found["escape-key"] = SMALL + '"\\e[2J": 1\n'
    found["self-follow-up"] = _swap("      - Careful.\n", "      - Careful.\n    follow_up: [small]\n")
    found["repeated-procedure"] = _swap("[procedures/alpha.md]", "[procedures/alpha.md, procedures/alpha.md]")
    found["script-help"] = _swap("help: Look at `Get-Thing`.", "help: '<script>alert(1)</script>'")
    found["javascript-link"] = _swap("help: Look at `Get-Thing`.", "help: '[x](javascript:alert(1))'")
    for page in ("includes/abbreviations.md", "templates/alpha.md", "../mkdocs.yml", "/etc/passwd.md", "procedures/../x.md"):
        found[f"procedure {page}"] = _swap("[procedures/alpha.md]", f"[{page}]")
    found["misnamed"] = _swap("id: small", "id: other")
    found["duplicate-question"] = _swap("  - id: shared", "  - id: first")
    found["outcome-as-next"] = _swap("next: shared", "next: done-alpha")
    found["bom"] = "\ufeff" + SMALL
    found["crlf"] = SMALL.replace("\n", "\r\n")
    found["merge-key"] = SMALL + "<<: {a: 1}\n"
    found["set"] = SMALL + "x: !!set {a}\n"
    found["huge-label"] = _swap("label: Answer B", "label: " + "x" * 5_000_000)
    found["200k-unknown-keys"] = SMALL + "".join(f"k{i}: v\n" for i in range(200_000))
    found["deep-flow"] = "id: " + "[" * 100_000 + "]" * 100_000
    found["misspelt-20k"] = _generated(20_000, chain=False)
    found["chain-14300"] = _generated(14_300, chain=True)
    return found


def main() -> int:
    """Check every hostile file in a fresh process; print the totals and what was accepted."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "tests" / "fixtures" / "docs" / "procedures", work / "docs" / "procedures")
        (work / "docs" / "guides").mkdir()
        (work / "docs" / "guides" / "small.md").write_text("# Small\n")
        (work / "docs" / "includes").mkdir()
        (work / "docs" / "includes" / "abbreviations.md").write_text("*[CMS]: Clustered mailbox server\n")
        (work / "mkdocs.yml").write_text("site_name: Sweep\nexclude_docs: |\n  /includes/*\n")
        for name, text in cases().items():
            folder = work / "decisions"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            path = folder / "small.yml"
            path.write_text(text, encoding="utf-8")
            before = path.read_bytes()
            command = ["/usr/bin/time", "-f", "%U %S %M", sys.executable, "-m", "macros", "check"]
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            run = subprocess.run(command, cwd=work, capture_output=True, text=True, env=env, timeout=300, check=False)
            user, system, peak = run.stderr.strip().splitlines()[-1].split()
            lines = run.stdout.splitlines()
            clean = all(_LINE.match(line) for line in lines) and "Traceback" not in run.stderr and path.read_bytes() == before
            results.append((name, run.returncode, clean, float(user) + float(system), int(peak) / 1024, lines[:1]))
    refused = [r for r in results if r[1] == 1 and r[2]]
    accepted = [r for r in results if r[1] == 0]
    unclean = [r for r in results if r[1] != 0 and not r[2]]
    slowest = max(results, key=lambda r: r[3])
    largest = max(results, key=lambda r: r[4])
    print(f"tried {len(results)}, refused cleanly {len(refused)}, accepted {len(accepted)}, refused uncleanly {len(unclean)}")
    print(f"worst CPU time {slowest[3]:.2f} s ({slowest[0]}), worst peak memory {largest[4]:.0f} MB ({largest[0]})")
    for name, *_ in accepted:
        print(f"accepted: {name}")
    for name, code, _, _, _, first in unclean:
        print(f"UNCLEAN: {name} (exit {code}): {first}")
    return 1 if unclean else 0


if __name__ == "__main__":
    sys.exit(main())
