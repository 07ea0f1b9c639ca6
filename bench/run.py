"""Benchmarks: build overhead, engine scale, page weight, click latency, binder time.

Prints a readable table, then one last line holding a JSON object of numbers, so results can be
compared over time. Run with `make bench`. Goals are checked by reading the numbers, never by a
timed test.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import guide_yaml  # noqa: E402

GUIDE_ASSETS = [f"docs/assets/drg/{name}" for name in ("guide.js", "guide.css", "common.js", "map.css")]
GOALS = {
    "build_ratio": ("<=", 1.25),
    "check_10k_questions_s": ("<=", 1.0),
    "check_10k_broken_s": ("<=", 1.0),
    "scale_exponent": ("<=", 1.2),
    "guide_js_css_bytes": ("<=", 20000),
    "click_to_next_ms_median": ("<=", 50),
    "binder_s": ("<=", 60),
    "commands_check_s": ("<=", 2.0),
}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}


def mkdocs_build(config: Path, out: Path, extra_env: dict[str, str] | None = None) -> float:
    """Wall time of one strict build; raises with the output when it fails."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(out)],
        cwd=config.parent,
        env={**ENV, **(extra_env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode:
        raise RuntimeError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def build_ratio(runs: int) -> dict[str, float]:
    """Real site with guides over the same site with guide rendering off; alternating runs, medians."""
    on, off = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            on.append(mkdocs_build(ROOT / "mkdocs.yml", Path(tmp) / "on"))
            off.append(mkdocs_build(ROOT / "mkdocs.yml", Path(tmp) / "off", {"DRG_RENDER_GUIDES": "false"}))
    return {
        "build_s": statistics.median(on),
        "build_without_guides_s": statistics.median(off),
        "build_ratio": statistics.median(on) / statistics.median(off),
    }


CHECK_CHILD = """
import json, resource, sys, time
from pathlib import Path
from macros.catalog import load_catalog
path = Path(sys.argv[1])
start = time.perf_counter()
catalog = load_catalog(path.parent, Path(sys.argv[2]), [path], max_map_answers=None)  # the engine alone: no map
elapsed = time.perf_counter() - start
(entry,) = catalog.guides.values()
print(json.dumps({"s": elapsed, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "paths_log10": len(str(entry.facts.paths)) - 1}))
"""


def engine_scale(sizes: list[int], repeats: int) -> dict[str, float]:
    """Load + check + path count of generated DAGs, each in a fresh process (so peak RSS is its own)."""
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        (docs / "procedures").mkdir(parents=True)
        (docs / "procedures" / "alpha.md").write_text("# Alpha\n")
        (docs / "guides").mkdir()
        (docs / "guides" / "generated.md").write_text("# Generated\n")
        for n in sizes:
            folder = Path(tmp) / f"d{n}"
            folder.mkdir()
            path = folder / "generated.yml"  # a decision file is named after its guide's id
            path.write_text(guide_yaml(n), encoding="utf-8")
            runs = []
            for _ in range(repeats if n < 100_000 else max(1, repeats // 2)):
                out = subprocess.run(
                    [sys.executable, "-c", CHECK_CHILD, str(path), str(Path(tmp) / "docs")],
                    env=ENV,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(json.loads(out.stdout))
            results[n] = {
                "s": statistics.median(r["s"] for r in runs),
                "rss_mb": max(r["rss_mb"] for r in runs),
                "paths_log10": runs[0]["paths_log10"],
            }
    xs = [math.log(n) for n in sizes]
    ys = [math.log(results[n]["s"]) for n in sizes]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    metrics = {f"check_{n // 1000}k_questions_s": results[n]["s"] for n in sizes}
    metrics.update({f"paths_log10_{n // 1000}k": results[n]["paths_log10"] for n in sizes})
    metrics["scale_exponent"] = slope
    if 100_000 in results:
        metrics["peak_rss_100k_mb"] = results[100_000]["rss_mb"]
    return metrics


BROKEN_CHILD = """
import json, resource, sys, time
from pathlib import Path
from macros.catalog import load_catalog
from macros.problems import ProblemsFound
path = Path(sys.argv[1])
start = time.perf_counter()
try:
    load_catalog(path.parent, Path(sys.argv[2]), [path], max_map_answers=None)
    raise SystemExit("the broken file was accepted")
except ProblemsFound as found:
    lines = [str(problem) for problem in found.problems]
elapsed = time.perf_counter() - start
print(json.dumps({"s": elapsed, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "problems": len(lines)}))
"""


def broken_check(questions: int, repeats: int) -> dict[str, float]:
    """Check of a file whose every next: is misspelt (each one an unknown target with suggestions), fresh process each."""
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        (docs / "procedures").mkdir(parents=True)
        (docs / "procedures" / "alpha.md").write_text("# Alpha\n")
        (docs / "guides").mkdir()
        (docs / "guides" / "generated.md").write_text("# Generated\n")
        folder = Path(tmp) / "decisions"
        folder.mkdir()
        path = folder / "generated.yml"
        path.write_text(guide_yaml(questions).replace("next: q", "next: qq"), encoding="utf-8")
        runs = []
        for _ in range(repeats):
            command = [sys.executable, "-c", BROKEN_CHILD, str(path), str(docs)]
            out = subprocess.run(command, env=ENV, capture_output=True, text=True, check=True)
            runs.append(json.loads(out.stdout))
    key = f"check_{questions // 1000}k_broken"
    return {
        f"{key}_s": statistics.median(r["s"] for r in runs),
        f"{key}_rss_mb": max(r["rss_mb"] for r in runs),
        f"{key}_problems": runs[0]["problems"],
    }


COMMANDS_CHILD = """
import json, sys, time
start = time.perf_counter()
from macros.__main__ import main
code = main(["commands"])
print(json.dumps({"s": time.perf_counter() - start, "code": code}))
"""


def commands_check(repeats: int) -> dict[str, float]:
    """`python -m macros commands` on the whole real site (catalogue, every page, every decision file).

    Each run is a fresh process and includes importing the engine, as an author's run does;
    median of the runs.
    """
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", COMMANDS_CHILD], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        if result["code"]:
            raise RuntimeError(f"python -m macros commands failed:\n{out.stdout}")
        runs.append(result["s"])
    return {"commands_check_s": statistics.median(runs)}


def guide_bytes() -> dict[str, float]:
    """Bytes of the guide's own JavaScript and CSS, unminified."""
    return {"guide_js_css_bytes": sum((ROOT / p).stat().st_size for p in GUIDE_ASSETS if (ROOT / p).exists())}


def click_latency(clicks: int) -> dict[str, float]:
    """Median time in Chromium from an answer click to the next question being visible."""
    from playwright.sync_api import sync_playwright

    from tests.browser.support import LAUNCH_ARGS, serve  # the browser tests' own launcher and server
    from tools.ensure_chromium import find

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        mkdocs_build(ROOT / "mkdocs.yml", site)
        export = json.loads(
            subprocess.run([sys.executable, "-m", "macros", "export"], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True).stdout
        )
        samples: list[float] = []
        with serve(site) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=find(), args=LAUNCH_ARGS)
            page = browser.new_page()
            while len(samples) < clicks:
                for guide in export["guides"]:
                    page.goto(f"{base}{guide['url']}")
                    page.wait_for_selector(f"[data-question='{guide['start']}']:visible")
                    questions = {q["id"]: q for q in guide["questions"]}
                    current = guide["start"]
                    step = 0
                    while current and len(samples) < clicks:
                        answers = questions[current]["answers"]
                        answer = answers[(len(samples) + step) % len(answers)]
                        step += 1
                        target = f"[data-question='{answer['next']}']" if "next" in answer else f"[data-outcome='{answer['outcome']}']"
                        ms = page.evaluate(CLICK_SCRIPT, [current, answer["id"], target])
                        samples.append(ms)
                        current = answer.get("next")
            browser.close()
    return {"click_to_next_ms_median": statistics.median(samples), "click_to_next_ms_p95": sorted(samples)[int(len(samples) * 0.95) - 1]}


# Click the answer, then poll each animation frame until the target is laid out and visible.
CLICK_SCRIPT = """
async ([question, answer, target]) => {
  const control = document.querySelector(`[data-question='${question}'] [data-answer='${answer}']`);
  const start = performance.now();
  control.click();
  const visible = () => { const el = document.querySelector(target); return el && el.offsetParent !== null && !el.hidden; };
  while (!visible()) { await new Promise(requestAnimationFrame); }
  return performance.now() - start;
}
"""


def binder_time() -> dict[str, float]:
    """Wall time of make binder (site build plus PDF)."""
    start = time.perf_counter()
    subprocess.run(["make", "-s", "binder"], cwd=ROOT, env=ENV, check=True, capture_output=True)
    return {"binder_s": time.perf_counter() - start}


def big_site(guides: int, questions: int) -> dict[str, float]:
    """Build time of a generated site of many generated guides."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        (site / "decisions").mkdir()
        (site / "docs" / "guides").mkdir(parents=True)
        (site / "docs" / "procedures").mkdir()
        (site / "docs" / "procedures" / "alpha.md").write_text("# Alpha\n")
        (site / "docs" / "index.md").write_text("# Generated\n")
        for g in range(guides):
            gid = f"guide-{g}"
            (site / "decisions" / f"{gid}.yml").write_text(guide_yaml(questions, gid, seed=g))
            (site / "docs" / "guides" / f"{gid}.md").write_text(f'---\nrender_macros: true\n---\n{{{{ guide("{gid}") }}}}\n')
        config = (ROOT / "mkdocs.yml").read_text()
        config = config.split("\nnav:")[0]  # keep theme, plugins and extensions; nav from the folders
        config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
        config = config.replace("module_name: macros", "modules: [macros]")  # the engine from PYTHONPATH
        config = config.replace("watch:\n  - decisions\n  - macros\n", "")  # serve-only, and macros/ is not here
        config = config.replace("  - macros/mkdocs_hooks.py", f"  - {ROOT / 'macros' / 'mkdocs_hooks.py'}")
        (site / "mkdocs.yml").write_text(config)
        shutil.copytree(ROOT / "docs" / "assets", site / "docs" / "assets")
        (site / "docs" / "includes").mkdir()
        shutil.copy(ROOT / "docs" / "includes" / "abbreviations.md", site / "docs" / "includes")
        return {"site_200_guides_s": mkdocs_build(site / "mkdocs.yml", site / "site")}


def machine() -> str:
    """One line describing where the numbers were taken."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def main() -> int:
    """Run the selected benchmarks and print the table and the JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=["build", "engine", "broken", "commands", "bytes", "click", "binder", "bigsite"])
    parser.add_argument("--runs", type=int, default=5, help="alternating build runs for build_ratio")
    parser.add_argument("--clicks", type=int, default=120)
    args = parser.parse_args()
    steps = {
        "build": lambda: build_ratio(args.runs),
        "engine": lambda: engine_scale([1_000, 10_000, 100_000], 3),
        "broken": lambda: broken_check(10_000, 3),
        "commands": lambda: commands_check(5),
        "bytes": guide_bytes,
        "click": lambda: click_latency(args.clicks),
        "binder": binder_time,
        "bigsite": lambda: big_site(200, 50),
    }
    metrics: dict[str, float] = {}
    print(f"machine: {machine()}", flush=True)
    for name in args.only:
        print(f"running {name}...", flush=True)
        metrics.update(steps[name]())
    print()
    print(f"{'metric':32} {'value':>14}  goal")
    for key, value in metrics.items():
        goal = GOALS.get(key)
        verdict = ""
        if goal:
            ok = value <= goal[1]
            verdict = f"{goal[0]} {goal[1]}  {'met' if ok else 'MISSED'}"
        shown = f"{value:,.0f}" if key.endswith("bytes") else f"{value:.3f}"
        print(f"{key:32} {shown:>14}  {verdict}")
    print(json.dumps({k: round(v, 4) for k, v in metrics.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
