"""The scale bench's report: per-report growth and peak memory against issue 8."""

from __future__ import annotations

from bench.cluster_bench import report


def _row(reports: int, seconds: float, related: float, peak: float) -> dict:
    return {
        "reports": reports,
        "stories": reports // 6,
        "seconds": seconds,
        "cpu": seconds * 1.2,
        "related": related,
        "related_cpu": related * 1.5,
        "peak_mib": peak,
        "worker_mib": peak / 3,
        "f1": 0.99,
    }


def test_growth_per_report_is_judged_between_the_smallest_and_largest_size():
    text = report(
        [
            _row(10_000, 2.0, 0.07, 131),
            _row(30_000, 6.0, 0.3, 236),
            _row(100_000, 20.0, 1.9, 558),
        ],
        "python -m bench.cluster_bench 10000 30000 100000",
    )
    assert "| 30,000 | 5,000 | 6.0 | 7.2 | 0.30 | 0.45 | 236 | 79 | 0.990 |" in text
    assert "| Target (100,000 against 10,000 reports) | value | target |" in text
    assert "| clustering, µs per report: 200 → 200 | 1.00× | ≤ 1.5 ✓ |" in text
    assert "| related stories, µs per report: 7 → 19 | 2.71× | ≤ 1.5 ✗ |" in text
    assert "| related stories, CPU, µs per report: 11 → 28 | 2.71× | – |" in text
    assert "| peak MiB | 558 | < 2,048 ✓ |" in text


def test_peak_memory_over_two_gib_misses_the_target():
    text = report([_row(10_000, 2.0, 0.1, 300), _row(100_000, 29.0, 1.0, 2100)], "")
    assert "| clustering, µs per report: 200 → 290 | 1.45× | ≤ 1.5 ✓ |" in text
    assert "| peak MiB | 2,100 | < 2,048 ✗ |" in text


def test_one_size_has_no_growth_to_judge():
    text = report([_row(10_000, 2.0, 0.1, 300)], "")
    assert "| 10,000 | 1,666 |" in text and "Target" not in text
