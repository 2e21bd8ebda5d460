#!/usr/bin/env python3
"""Benchmark helper: runs a command once to warm up, then RUNS times, and prints one line

    WALL_S CPU_S RSS_KIB  walls=W1,W2,...

the medians (each over the RUNS runs, independently) of the wall time (time.perf_counter around
the child), its CPU time (user + system, from getrusage(RUSAGE_CHILDREN) deltas) and its peak
resident set size (ru_maxrss of the child, KiB; a fresh interpreter per measured run keeps the
maximum the child's own). Exit status of the command does not matter (a scan exits 1 when a
rule fails, oscap 2). Output of the command is discarded.

Usage: measure.py RUNS COMMAND [ARG...]
"""

import os
import resource
import statistics
import subprocess
import sys
import time


def one_run(cmd):
    # A child interpreter per run: RUSAGE_CHILDREN's ru_maxrss is the maximum over all children
    # ever waited for, so it would otherwise carry the largest run into the next ones.
    code = (
        "import resource, subprocess, sys, time\n"
        "t0 = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,"
        " stderr=subprocess.DEVNULL)\n"
        "wall = time.perf_counter() - t0\n"
        "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code] + cmd, stdout=subprocess.PIPE, check=True,
                         text=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs = int(sys.argv[1])
    cmd = sys.argv[2:]
    one_run(cmd)  # warm-up: page cache, dentries
    results = [one_run(cmd) for _ in range(runs)]
    wall = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[1] for r in results)
    rss = statistics.median(r[2] for r in results)
    print("%.4f %.4f %d  walls=%s" % (wall, cpu, rss, ",".join("%.3f" % r[0] for r in results)))


if __name__ == "__main__":
    main()
