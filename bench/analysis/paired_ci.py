"""Paired comparison of two methods on a cell's held-out programs, as the report computes it (issue 16).

Usage: python3 bench/analysis/paired_ci.py CELL/evaluation/evaluation.json A B [SEED]

Per program: the mean over A's seeds of log(e_A) minus the mean over B's seeds of log(e_B) (a seed-less method has
one error). Prints the median of those log ratios and a 95 % percentile bootstrap interval of the median (10,000
resamples of the programs). The report's own comparisons (metrics.json) use the same statistic with Java's
SplittableRandom, so the interval's ends can differ from a report's in the third decimal.
"""
import json
import math
import random
import statistics
import sys


def column(programs, method):
    out = []
    for p in programs:
        v = p["errors"].get(method)
        v = v if isinstance(v, list) else [v]
        logs = [math.log(x) for x in v if x is not None and x > 0]
        out.append(sum(logs) / len(logs) if len(logs) == len(v) else float("nan"))
    return out


def main():
    path, a, b = sys.argv[1:4]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    programs = json.load(open(path))["programs"]
    lr = [x - y for x, y in zip(column(programs, a), column(programs, b)) if not (math.isnan(x) or math.isnan(y))]
    rng = random.Random(seed)
    medians = sorted(statistics.median(rng.choices(lr, k=len(lr))) for _ in range(10000))
    lo, hi = medians[int(0.025 * (len(medians) - 1))], medians[int(0.975 * (len(medians) - 1))]
    print("%s vs %s: %d programs, median log ratio %+.3f, 95 %% CI [%+.3f, %+.3f]" % (a, b, len(lr), statistics.median(lr), lo, hi))


if __name__ == "__main__":
    main()
