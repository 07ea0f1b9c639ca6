"""Re-seed times come from one function with one assumption: guides, pages and the binder agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros import reseed
from macros.catalog import load_catalog
from macros.load import load_guide

from .conftest import ROOT

GUIDE = ROOT / "decisions" / "reseed-or-not.yml"
# What the re-seed guide's ids mean: its size answers and link questions, in GB and Mbit/s.
SIZE_RANGES_GB = {"up-to-100-gb": (0, 100), "100-to-500-gb": (100, 500), "500-gb-to-1-tb": (500, 1024), "over-1-tb": (1024, None)}
LINKS_MBIT = {"1-gbit": 1000, "100-mbit": 100, "10-mbit": 10}
# Outcome bands by their upper limit in hours; the outcome ids end in the band's name.
BANDS = (("under-3h", 3), ("under-1d", 24), ("1-to-10d", 240), ("over-10d", float("inf")))


def band(hours: float) -> str:
    return next(name for name, limit in BANDS if hours <= limit)


def test_reseed_time_is_size_over_eighty_percent_of_the_line_rate() -> None:
    size_bytes = 300 * 1024**3
    effective_bytes_per_second = 20 * 1_000_000 * 0.8 / 8
    assert reseed.reseed_hours(300, 20) == pytest.approx(size_bytes / effective_bytes_per_second / 3600)
    assert reseed.reseed_hours(200, 10) == pytest.approx(2 * reseed.reseed_hours(100, 10))
    assert reseed.reseed_hours(100, 100) == pytest.approx(reseed.reseed_hours(100, 10) / 10)
    with pytest.raises(ValueError, match="line rate"):
        reseed.reseed_hours(100, 0)


@pytest.mark.parametrize(
    ("hours", "text"),
    [(0.3, "about 18 minutes"), (1.49, "about 1.5 hours"), (14.9, "about 15 hours"), (30.5, "about 30 hours (1.3 days)")],
)
def test_durations_read_as_minutes_hours_or_days(hours: float, text: str) -> None:
    assert reseed.describe(hours) == text


def test_the_assumption_states_every_number_the_function_uses() -> None:
    assert "80%" in reseed.ASSUMPTION
    assert reseed.EFFICIENCY == 0.8
    assert f"{reseed.BYTES_PER_GB:,}" in reseed.ASSUMPTION
    assert f"{reseed.BITS_PER_MBIT:,}" in reseed.ASSUMPTION


def test_the_guide_text_holds_tokens_and_the_loaded_guide_holds_the_figures() -> None:
    raw = re.sub(r"up to about \d+ (hours|days)", "", GUIDE.read_text(encoding="utf-8"))  # band limits, not figures
    written = re.findall(r"\b\d+(?:\.\d+)? (?:h|hours|days|minutes)\b", raw)
    assert not [w for w in written if w not in {"24 hours", "7 days"}], "re-seed times in the guide must be [[reseed ...]] tokens"
    guide = load_guide(GUIDE).guide
    assert guide is not None
    texts = [q.help or "" for q in guide.questions] + [a.explanation or "" for q in guide.questions for a in q.answers]
    texts += [o.summary for o in guide.outcomes]
    assert not any("[[reseed" in text for text in texts)
    assert sum(reseed.ASSUMPTION in text for text in texts) == 2, "each link question states the assumption"


def test_every_size_answer_shows_its_range_and_leads_to_the_band_of_its_time() -> None:
    guide = load_catalog(ROOT / "decisions", ROOT / "docs", [GUIDE]).guides["reseed-or-not"].guide
    checked = 0
    for question in guide.questions:
        match = re.fullmatch(r"size-(\d{4})-(.+)", question.id)
        if not match:
            continue
        version, link = match.group(1), LINKS_MBIT[match.group(2)]
        for answer in question.answers:
            low, high = SIZE_RANGES_GB[answer.id]
            if high is None:
                expected_band, shown = band(reseed.reseed_hours(low, link)), [reseed.reseed_hours(low, link)]
            else:
                expected_band = band(reseed.reseed_hours(high, link))
                shown = [reseed.reseed_hours(size, link) for size in (low, high) if size]
            assert answer.outcome == f"reseed-{version}-{expected_band}", (question.id, answer.id)
            for hours in shown:
                assert reseed.describe(hours) in (answer.explanation or ""), (question.id, answer.id)
            checked += 1
    assert checked == 2 * 3 * 4


def test_a_reseed_figure_on_a_page_and_in_a_guide_is_the_same_string(built_site: Path) -> None:
    cells = [cell for row in reseed.table()["rows"] for cell in row["cells"]]
    for page in ("reference/rto-rpo.html", "procedures/e2007-reseed-ccr-scr.html", "procedures/e2010-reseed-dag-copy.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        for cell in cells:
            assert f"<td>{cell}</td>" in html, (page, cell)
        assert reseed.ASSUMPTION.split(" (")[0] in html, page
    guide = (built_site / "guides" / "reseed-or-not.html").read_text(encoding="utf-8")
    assert reseed.describe(reseed.reseed_hours(1024, 10)) in guide
    assert "[[reseed" not in guide
