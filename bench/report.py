"""Print bench/results/load-<label>.json as the Markdown tables used in BENCHMARKS.md.

    .venv/bin/python bench/report.py sqlite-100k postgresql-100k      # one table per run
    .venv/bin/python bench/report.py --median sqlite-100k sqlite-100k-run2 sqlite-100k-run3

With --median the runs are folded into one table: per page the median of the runs' req/s,
ratios, latencies and single-request p50s (each column on its own).
"""

import json
import statistics
import sys

from common import ROOT


def load(label: str) -> dict:
    return json.loads((ROOT / "bench" / "results" / f"load-{label}.json").read_text())


def ms(text: str) -> float:
    """wrk's '53.22ms' or '1.13s' in milliseconds."""
    return float(text[:-2]) if text.endswith("ms") else float(text[:-1]) * 1000


def table(runs: list[dict], title: str) -> str:
    lines = [f"### {title}", "", "| page | req/s | p50 | p99 | ratio | single p50 |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name in runs[0]["pages"]:
        pages = [run["pages"][name] for run in runs]
        median = statistics.median
        single = [run["single_p50_ms"][name] for run in runs if name in run["single_p50_ms"]]
        errors = sum(p["non_2xx_3xx"] for p in pages)
        timeouts = [p["socket_errors"] for p in pages if p["socket_errors"]]
        lines.append(
            f"| {name} | {median([p['rps'] for p in pages]):,.0f} "
            f"| {median([ms(p['p50']) for p in pages]):.1f} ms "
            f"| {median([ms(p['p99']) for p in pages]):.1f} ms "
            f"| {median([p['ratio_to_flask_one_query'] for p in pages]):.2f} "
            f"| {f'{median(single):.1f} ms' if single else ''} |"
            + (f" non-2xx: {errors}" if errors else "")
            + (f" wrk socket errors: {'; '.join(timeouts)}" if timeouts else ""))
    rss = "; ".join(", ".join(str(mb) for mb in run["rss_mb_per_worker"]) for run in runs)
    return "\n".join(lines) + f"\n\nRSS per worker after the run: {rss} MB.\n"


if __name__ == "__main__":
    labels = sys.argv[1:]
    if labels and labels[0] == "--median":
        runs = [load(label) for label in labels[1:]]
        print(table(runs, f"{labels[1]}, median of {len(runs)} runs"))
    else:
        print("\n".join(table([load(label)], label) for label in labels))
