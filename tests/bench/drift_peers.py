"""Peer for `npm run bench:drift`: per feature, what Evidently runs on numpy/scipy for the same
three statistics the bench times in TypeScript (the bench writes the arrays to a temp folder):
  scipy.stats.ks_2samp(ref, cur)
  scipy.stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
  PSI over Evidently's get_binned_data (np.histogram_bin_edges(..., 'sturges') + np.histogram
  when the reference has more than 20 distinct values, else one bin per value)
Prints one JSON object per scenario. Run with Debian's /usr/bin/python3 (python3-scipy)."""
import json
import sys
import time

import numpy as np
from scipy import stats


def psi(ref, cur):
    if np.unique(ref).size > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        r = np.histogram(ref, bins)[0] / len(ref)
        c = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = np.union1d(ref, cur)
        r = np.array([np.count_nonzero(ref == k) for k in keys]) / len(ref)
        c = np.array([np.count_nonzero(cur == k) for k in keys]) / len(cur)
    for a in (r, c):
        smallest = min(a[a != 0])
        np.place(a, a == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)
    return float(np.sum((r - c) * np.log(r / c)))


def all_statistics(ref, cur):
    ks = stats.ks_2samp(ref, cur)
    w = stats.wasserstein_distance(ref, cur) / max(float(np.std(ref)), 0.001)
    return [float(ks.statistic), float(ks.pvalue), float(w), psi(ref, cur)]


folder = sys.argv[1]
meta = json.load(open(f"{folder}/meta.json"))
for s in meta["scenarios"]:
    features = [
        (
            np.fromfile(f"{folder}/{s['name']}-{j}.ref", dtype=np.float64),
            np.fromfile(f"{folder}/{s['name']}-{j}.cur", dtype=np.float64),
        )
        for j in range(s["features"])
    ]
    seconds = []
    values = []
    for _ in range(s["repeats"]):
        t = time.perf_counter()
        values = [all_statistics(r, c) for r, c in features]
        seconds.append(time.perf_counter() - t)
    print(json.dumps({"name": s["name"], "seconds": seconds, "values": values}), flush=True)
