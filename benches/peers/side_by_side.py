#!/usr/bin/env python3
"""courtside and its peers, side by side. Run through benches/peers/side-by-side,
which is handed (or builds) the binaries, prepares the peers' venv and the
stores, then calls:

    side_by_side.py --courtside BIN --per-date PER_DATE_BACKFILL --forget FORGET_KEPT
                    --pandas pandas_peer.py --duckdb duckdb_peer.py
                    --store ROWS=PATH [--store ROWS=PATH ...] --demo PATH
                    [--quick] [--growth-only]

a. agreement, before anything is timed: courtside `backfill --all-systems
   --json` (a first pass, then with the day sums kept) against the pandas and
   DuckDB peers on every (system, date) of the 1M store's year and the demo
   store's three seasons; any difference prints and exits 1.
b. backfill, 365 days x 3 systems, 1M store: courtside vs the per-date method.
c. full range, every system, on the 1M store and the demo store, cold page
   cache then warm: courtside (first pass; day sums kept) vs pandas vs DuckDB
   (ADBC), wall and peak RSS.
d. growth: diag --all-systems and the backfill of (b) on every generated store.

Every measurement interleaves its sides (courtside, peer, courtside, peer,
...: one run of each per round), so load that drifts falls on all of them;
medians over the rounds (statistics.median). Every run is printed; `uptime`
at the start and around the summary table; the last line of stdout is one
JSON summary.
"""

import argparse
import json
import os
import platform
import sqlite3
import sys
import time

import agreement
import measure
from measure import (Failure, Side, evict, forget_kept, interleaved, pct, resident_fraction, say,
                     self_reported, uptime, verify_eviction, warm)

FROM, TO = "2025-04-15", "2026-04-14"
SYSTEMS = ["catboost_v8", "xgboost_v7", "ensemble_v1"]
GROWTH_DATE = "2026-04-14"

# diag's exit code is the health verdict: 0 healthy/info, 1 warning,
# 2 critical; 3 is unknown (no data or an error) and counts as a failure here.
DIAG_OK = (0, 1, 2)

# Issue #33's goals, as (label, measured ratio key, at least).
GOALS = [("first pass, cold: pandas / courtside", "pandas/first", 10.0),
         ("first pass, cold: DuckDB (ADBC) / courtside", "duckdb/first", 3.0),
         ("kept, cold: DuckDB (ADBC) / courtside", "duckdb/kept", 10.0)]


def store_range(store):
    """The first and last game_date of the store's predictions."""
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as connection:
        return connection.execute(
            "SELECT MIN(game_date), MAX(game_date) FROM prediction_accuracy").fetchone()


def prediction_rows(store):
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as connection:
            return connection.execute("SELECT COUNT(*) FROM prediction_accuracy").fetchone()[0]
    except sqlite3.Error:
        return None


def full_range_cmd(args, store, first, last):
    return [args.courtside, "--store", store, "backfill", "--from", first, "--to", last,
            "--all-systems", "--json"]


def backfill_cmd(args, store):
    cmd = [args.courtside, "--store", store, "backfill", "--from", FROM, "--to", TO]
    for system in SYSTEMS:
        cmd += ["--system", system]
    return cmd + ["--json"]


def peer_cmd(script, store, first, last):
    return [sys.executable, script, store, "--range", first, last]


# ---------------------------------------------------------------- a. agreement


def agreement_all(args, checked):
    say("== a. agreement on every (system, date): courtside backfill --all-systems --json "
        "vs the pandas and DuckDB peers")
    out = {}
    for label, store, first, last in checked:
        runs = [("first pass", full_range_cmd(args, store, first, last), lambda s=store: forget_kept(s)),
                ("kept", full_range_cmd(args, store, first, last), None)]
        peers = [("pandas", peer_cmd(args.pandas, store, first, last)),
                 ("duckdb", peer_cmd(args.duckdb, store, first, last))]
        out[label] = agreement.check_store(label, store, runs, peers, first, last)
    values = sum(c["values_compared"] for store in out.values() for c in store.values())
    different = sum(c["values_different"] + c["pairs_one_side_only"]
                    for store in out.values() for c in store.values())
    say(f"   in all: {values} values compared, {different} different")
    return {"stores": out, "values_compared": values, "differences": different}


# ---------------------------------------------------------------- b. per-date


def backfill_vs_per_date(args, store, n):
    say(f"== b. backfill {FROM}..{TO} (365 days) x 3 systems, 1M store, warm page cache, "
        f"{n} rounds (courtside first pass, courtside kept, per-date method)")
    warm(store)
    say(f"   store resident in page cache: {pct(resident_fraction(store))}")

    def reported(proc):
        try:
            return f"self-reported {float(proc.stdout.strip().splitlines()[-1]):.3f} s"
        except (ValueError, IndexError):
            return "self-report unreadable"

    sides = [Side("courtside first pass", backfill_cmd(args, store),
                  before=lambda: forget_kept(store)),
             Side("courtside kept", backfill_cmd(args, store)),
             Side("per-date method", [args.per_date, store, FROM, TO], note=reported)]
    got = interleaved(sides, n)
    theirs = got["per-date method"]["median_s"]
    ratios = {"per_date/first": theirs / got["courtside first pass"]["median_s"],
              "per_date/kept": theirs / got["courtside kept"]["median_s"]}
    say(f"   per-date / courtside first pass {ratios['per_date/first']:.1f}x, "
        f"per-date / courtside kept {ratios['per_date/kept']:.1f}x")
    return {"runs": got, "ratios": ratios}


# ---------------------------------------------------------------- c. full range


def full_range(args, label, store, first, last, cache, n):
    say(f"== c. full range {first}..{last}, every system, {label}, {cache} page cache, "
        f"{n} rounds, each under /usr/bin/time -v")

    def prepare():
        if cache == "cold":
            evict(store)
        else:
            warm(store)
        return f"store resident {pct(resident_fraction(store))}"

    def prepare_first():
        forget_kept(store)
        return prepare()

    cmd = full_range_cmd(args, store, first, last)
    sides = [Side("courtside first pass", cmd, before=prepare_first, rss=True),
             Side("courtside kept", cmd, before=prepare, rss=True),
             Side("pandas", peer_cmd(args.pandas, store, first, last), before=prepare, rss=True,
                  note=self_reported("pandas peer")),
             Side("duckdb (ADBC)", peer_cmd(args.duckdb, store, first, last), before=prepare,
                  rss=True, note=self_reported("duckdb peer"))]
    got = interleaved(sides, n)
    mine = {"first": got["courtside first pass"], "kept": got["courtside kept"]}
    ratios = {}
    for peer, key in (("pandas", "pandas"), ("duckdb (ADBC)", "duckdb")):
        for which, ours in mine.items():
            ratios[f"{key}/{which}"] = got[peer]["median_s"] / ours["median_s"]
            ratios[f"{key}/{which} rss"] = (got[peer]["peak_rss_mib_median"]
                                            / ours["peak_rss_mib_median"])
    say("   " + ", ".join(f"{name} {value:.1f}x" for name, value in ratios.items()))
    say("   (only the store is evicted; binaries, the Python interpreter and its modules stay cached)")
    return {"store": store, "range": [first, last], "cache": cache, "runs": got, "ratios": ratios}


# ---------------------------------------------------------------- d. growth


def growth(args, stores, n):
    say(f"== d. growth: diag --all-systems --date {GROWTH_DATE} and the backfill of (b), warm page "
        f"cache, {n} rounds; each round runs every store in turn")
    sides, info = [], {}
    for rows, store in sorted(stores.items()):
        count = prediction_rows(store)
        info[rows] = {"store": store, "prediction_rows": count,
                      "size_mib": os.path.getsize(store) / (1 << 20)}
        say(f"   {rows / 1e6:g}M store: {store} ({info[rows]['size_mib']:.0f} MiB, {count} prediction rows)")
        diag = [args.courtside, "--store", store, "diag", "--all-systems", "--date", GROWTH_DATE, "--json"]

        def fresh(s=store):
            forget_kept(s)
            warm(s)

        tag = f"{rows / 1e6:g}M"
        sides += [Side(f"{tag} diag first pass", diag, ok=DIAG_OK, before=fresh),
                  Side(f"{tag} backfill first pass", backfill_cmd(args, store), before=fresh),
                  Side(f"{tag} diag kept", diag, ok=DIAG_OK),
                  Side(f"{tag} backfill kept", backfill_cmd(args, store))]
    got = interleaved(sides, n)
    out = {}
    for rows in sorted(stores):
        tag = f"{rows / 1e6:g}M"
        out[str(rows)] = dict(info[rows], **{
            kind: got[f"{tag} {label}"] for kind, label in (
                ("diag", "diag first pass"), ("backfill", "backfill first pass"),
                ("diag_kept", "diag kept"), ("backfill_kept", "backfill kept"))})
    ratios = {}
    if "3000000" in out and "1000000" in out:
        big, base = out["3000000"], out["1000000"]
        ratios = {f"{kind}_3m_over_1m": big[kind]["median_s"] / base[kind]["median_s"]
                  for kind in ("diag", "backfill", "diag_kept", "backfill_kept")}
        ratios["rows_3m_over_1m"] = big["prediction_rows"] / base["prediction_rows"]
    return {"stores": out, "ratios": ratios}


# ---------------------------------------------------------------- the table


def summary_table(summary):
    say(uptime())
    say("== summary (medians; ratio = peer / courtside, wall)")
    for entry in summary.get("full_range", []):
        runs, ratios = entry["runs"], entry["ratios"]
        say(f"   full range {entry['range'][0]}..{entry['range'][1]}, every system, "
            f"{entry['label']}, {entry['cache']} page cache:")
        for name in ("courtside first pass", "courtside kept", "pandas", "duckdb (ADBC)"):
            r = runs[name]
            say(f"     {name:<22} {r['median_s']:>7.3f} s  peak RSS {r['peak_rss_mib_median']:>5.0f} MiB")
        say(f"     pandas / first pass {ratios['pandas/first']:.1f}x, DuckDB / first pass "
            f"{ratios['duckdb/first']:.1f}x; pandas / kept {ratios['pandas/kept']:.1f}x, "
            f"DuckDB / kept {ratios['duckdb/kept']:.1f}x")
    if "backfill" in summary:
        b = summary["backfill"]
        say(f"   backfill 365 days x 3 systems, 1M, warm: courtside first pass "
            f"{b['runs']['courtside first pass']['median_s']:.3f} s, kept "
            f"{b['runs']['courtside kept']['median_s']:.3f} s, per-date method "
            f"{b['runs']['per-date method']['median_s']:.3f} s "
            f"({b['ratios']['per_date/first']:.0f}x, {b['ratios']['per_date/kept']:.0f}x)")
    if "growth" in summary:
        say(f"   growth, warm: {'store':>6} {'rows':>9} {'diag':>8} {'backfill':>9} "
            f"{'diag kept':>10} {'bf kept':>8}")
        for rows, e in sorted(summary["growth"]["stores"].items(), key=lambda kv: int(kv[0])):
            say(f"                 {int(rows) / 1e6:>5g}M {e['prediction_rows'] or 0:>9} "
                f"{e['diag']['median_s']:>7.3f}s {e['backfill']['median_s']:>8.3f}s "
                f"{e['diag_kept']['median_s']:>9.3f}s {e['backfill_kept']['median_s']:>7.3f}s")
        g = summary["growth"]["ratios"]
        if g:
            say(f"   3M/1M for {g['rows_3m_over_1m']:.2f}x rows: diag {g['diag_3m_over_1m']:.2f}x, "
                f"backfill {g['backfill_3m_over_1m']:.2f}x; kept: diag {g['diag_kept_3m_over_1m']:.2f}x, "
                f"backfill {g['backfill_kept_3m_over_1m']:.2f}x (goal: at most 3x for 3x rows: "
                f"{'met' if max(g['diag_3m_over_1m'], g['backfill_3m_over_1m']) <= 3 else 'MISSED'})")
    for entry in summary.get("full_range", []):
        if entry["cache"] != "cold":
            continue
        for label, key, goal in GOALS:
            value = entry["ratios"][key]
            say(f"   goal {label} >= {goal:g}x on {entry['label']}: {value:.1f}x "
                f"{'met' if value >= goal else 'MISSED'}")
    if "agreement" in summary:
        a = summary["agreement"]
        say(f"   agreement: {a['values_compared']} values compared, {a['differences']} different")
    say(uptime())


# ---------------------------------------------------------------- main


def versions():
    found = {"python": platform.python_version()}
    for name in ("pandas", "numpy", "duckdb", "pyarrow", "adbc_driver_sqlite"):
        try:
            found[name] = __import__(name).__version__
        except ImportError:
            found[name] = None
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("--courtside", "--per-date", "--forget", "--pandas", "--duckdb", "--demo"):
        parser.add_argument(name, required=True)
    parser.add_argument("--store", action="append", required=True, metavar="ROWS=PATH")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--growth-only", action="store_true")
    parser.add_argument("--rounds", type=int, help="rounds per measurement (default 5, --quick 3)")
    args = parser.parse_args()
    measure.FORGET = args.forget
    stores = {int(rows): path for rows, _, path in (s.partition("=") for s in args.store)}
    if 1000000 not in stores:
        parser.error("the 1M store (--store 1000000=PATH) is required")
    n = args.rounds or (3 if args.quick else 5)
    main_store = stores[1000000]
    demo_first, demo_last = store_range(args.demo)
    checked = [("1M store", main_store, FROM, TO), ("demo store", args.demo, demo_first, demo_last)]

    started = time.perf_counter()
    info = versions()
    say(f"courtside side by side ({'quick: ' if args.quick else ''}{n} rounds per measurement)")
    say(f"  {time.strftime('%Y-%m-%d %H:%M:%S %Z')}; {uptime()}")
    say(f"  courtside {args.courtside}; per-date {args.per_date}")
    say("  peers: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    say(f"  {platform.platform()}")
    say("  stores: " + ", ".join(f"{rows / 1e6:g}M {path}" for rows, path in sorted(stores.items()))
        + f", demo {args.demo} ({prediction_rows(args.demo)} rows, {demo_first}..{demo_last})")
    say()
    summary = {"quick": args.quick, "runs": n, "versions": info}
    try:
        if not args.growth_only:
            summary["agreement"] = agreement_all(args, checked)
            if summary["agreement"]["differences"]:
                summary["ok"] = False
                say("\nstopping before any timing: courtside and a peer disagree")
                say(json.dumps(summary, separators=(",", ":")))
                return 1
            say()
            summary["backfill"] = backfill_vs_per_date(args, main_store, n)
            summary["full_range"] = []
            for label, store, first, last in checked:
                say()
                verify_eviction(store)
                for cache in ("cold", "warm"):
                    entry = full_range(args, label, store, first, last, cache, n)
                    entry["label"] = label
                    summary["full_range"].append(entry)
            say()
        summary["growth"] = growth(args, stores, n)
    except Failure as failure:
        say(f"FAILED: {failure}")
        summary["ok"] = False
        summary["error"] = str(failure).splitlines()[0]
        say(json.dumps(summary, separators=(",", ":")))
        return 2
    summary["ok"] = True
    summary["total_s"] = time.perf_counter() - started
    say()
    summary_table(summary)
    say(f"done in {summary['total_s']:.0f} s")
    say(json.dumps(summary, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
