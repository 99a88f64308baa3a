"""Print bench/results/load-<label>.json as the Markdown table used in BENCHMARKS.md.

    .venv/bin/python bench/report.py sqlite-100k postgresql-100k
"""

import json
import sys

from common import ROOT


def table(label: str) -> str:
    results = json.loads((ROOT / "bench" / "results" / f"load-{label}.json").read_text())
    lines = ["| page | req/s | p50 | p99 | ratio | single p50 |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name, figures in results["pages"].items():
        single = results["single_p50_ms"].get(name)
        errors = figures["non_2xx_3xx"] or figures["socket_errors"]
        lines.append(f"| {name} | {figures['rps']:,.0f} | {figures['p50']} | {figures['p99']} "
                     f"| {figures['ratio_to_flask_one_query']:.2f} "
                     f"| {f'{single} ms' if single is not None else ''} |"
                     + (f" errors: {errors}" if errors else ""))
    rss = ", ".join(f"{mb}" for mb in results["rss_mb_per_worker"])
    return f"### {label}\n\n" + "\n".join(lines) + f"\n\nRSS per worker after the run: {rss} MB.\n"


if __name__ == "__main__":
    print("\n".join(table(label) for label in sys.argv[1:]))
