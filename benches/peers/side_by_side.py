#!/usr/bin/env python3
"""courtside and its peers, side by side. Run through benches/peers/side-by-side,
which builds (or is handed) the binaries, prepares the pandas venv and the
stores, then calls:

    side_by_side.py --courtside BIN --per-date PER_DATE_BACKFILL --peer pandas_peer.py
                    --store ROWS=PATH [--store ROWS=PATH ...] [--quick]

a. agreement: courtside `diag --json` against the pandas peer on the 1M store,
   three dates x three systems; any difference prints and exits 1 before
   anything is timed.
b. backfill, 365 days x 3 systems, 1M store: courtside vs the per-date method.
c. full range, every system, cold page cache, 1M store: courtside vs pandas,
   wall and peak RSS.
d. growth: diag --all-systems and the backfill of (b) on every store given.

courtside is timed twice in b, c and d: its first pass (the store's kept day
sums dropped before each run, so every row is read and summed) and with the
day sums a first run kept (what every later command reads).

Every individual run is printed; medians via statistics.median; the last line
of stdout is one JSON summary.
"""

import argparse
import ctypes
import ctypes.util
import json
import math
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

FROM, TO = "2025-04-15", "2026-04-14"
AGREE_DATES = ["2025-10-01", "2026-01-15", "2026-04-14"]
SYSTEMS = ["catboost_v8", "xgboost_v7", "ensemble_v1"]
GROWTH_DATE = "2026-04-14"

# The fields compared, as the pandas peer names them.
FLOAT_FIELDS = [
    "hit_rate_7d",
    "hit_rate_14d",
    "hit_rate_30d",
    "model_beats_vegas_pct",
    "vegas_mae",
    "model_mae",
    "model_mean_error",
    "shot_zone_completeness",
]
COUNT_FIELDS = ["bets_7d", "bets_14d", "bets_30d", "beats_vegas_n", "predictions_made"]
REL_TOL = 1e-6

# diag's exit code is the health verdict: 0 healthy/info, 1 warning,
# 2 critical; 3 is unknown (no data or an error) and counts as a failure here.
DIAG_OK = (0, 1, 2)


class Failure(Exception):
    pass


def say(line=""):
    print(line, flush=True)


def fmt_s(seconds):
    return f"{seconds:.3f} s"


# ---------------------------------------------------------------- running


def run(cmd, ok=(0,), capture=False):
    """Runs cmd; the wall time is time.perf_counter around subprocess.run."""
    stdout = subprocess.PIPE if capture else subprocess.DEVNULL
    started = time.perf_counter()
    proc = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    if proc.returncode not in ok:
        raise Failure(
            f"exit {proc.returncode} from: {' '.join(cmd)}\n{(proc.stderr or '').strip()[-2000:]}"
        )
    return wall, proc


def series(label, cmd, n, ok=(0,), before=None, capture=False, note=None, rss=False):
    """n timed runs of cmd; prints each and the median. note(proc) may add a
    remark per run; rss=True runs under /usr/bin/time -v for the peak RSS."""
    say(f"  {label}")
    say(f"    $ {' '.join(cmd)}")
    walls, peaks, remarks = [], [], []
    for i in range(n):
        parts = []
        if before is not None:
            parts.append(before())
        if rss:
            with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
                wall, proc = run(["/usr/bin/time", "-v", "-o", report.name, *cmd], ok, capture)
                peak = max_rss_kib(report.read())
            peaks.append(peak)
            parts.append(f"peak RSS {peak / 1024:.0f} MiB")
        else:
            wall, proc = run(cmd, ok, capture)
        if note is not None:
            remark = note(proc)
            remarks.append(remark)
            parts.append(remark)
        walls.append(wall)
        say(f"    run {i + 1}/{n}: {fmt_s(wall)}" + (f"  ({'; '.join(parts)})" if parts else ""))
    median = statistics.median(walls)
    line = f"    median: {fmt_s(median)}"
    if rss:
        line += f", peak RSS median {statistics.median(peaks) / 1024:.0f} MiB (max {max(peaks) / 1024:.0f})"
    say(line)
    out = {"median_s": median, "runs_s": walls}
    if rss:
        out["peak_rss_mib_median"] = statistics.median(peaks) / 1024
        out["peak_rss_mib_runs"] = [p / 1024 for p in peaks]
    return out


def max_rss_kib(report):
    found = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", report)
    if not found:
        raise Failure(f"no 'Maximum resident set size' in /usr/bin/time -v output:\n{report}")
    return int(found.group(1))


# ---------------------------------------------------------------- page cache


def store_files(store):
    return [p for p in (store, store + "-wal", store + "-shm") if os.path.exists(p)]


def evict(store):
    """Drops the store (and any -wal/-shm) from the page cache."""
    for path in store_files(store):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def read_through(path):
    started = time.perf_counter()
    with open(path, "rb", buffering=0) as f:
        while f.read(8 << 20):
            pass
    return time.perf_counter() - started


FORGET = None  # the forget_kept example, set from --forget


def forget_kept(store):
    """Drops the day sums the store kept, so the next run is a first pass.
    Through courtside's own bundled SQLite (the forget_kept example): writes
    by this Python's older SQLite twice met "database disk image is
    malformed" on a store a newer SQLite had just written, with PRAGMA
    quick_check clean before and after."""
    proc = subprocess.run([FORGET, store], capture_output=True, text=True)
    if proc.returncode != 0:
        raise Failure(f"forget_kept {store}: {proc.stderr.strip()}")
    return proc.stdout.strip()


def warm(store):
    for path in store_files(store):
        read_through(path)


_libc = None


def resident_fraction(path):
    """Share of the file's pages in the page cache (mincore), or None when it
    cannot be told on this system."""
    global _libc
    try:
        if _libc is None:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            _libc.mmap.restype = ctypes.c_void_p
            _libc.mmap.argtypes = [
                ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long,
            ]
            _libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
            _libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        size = os.path.getsize(path)
        if size == 0:
            return None
        page = os.sysconf("SC_PAGE_SIZE")
        pages = (size + page - 1) // page
        fd = os.open(path, os.O_RDONLY)
        try:
            addr = _libc.mmap(None, size, 1, 1, fd, 0)  # PROT_READ, MAP_SHARED
            if addr is None or addr == ctypes.c_void_p(-1).value:
                return None
            try:
                vec = (ctypes.c_ubyte * pages)()
                if _libc.mincore(addr, size, vec) != 0:
                    return None
                return sum(1 for b in bytes(vec) if b & 1) / pages
            finally:
                _libc.munmap(addr, size)
        finally:
            os.close(fd)
    except (OSError, AttributeError, ValueError):
        return None


def pct(fraction):
    return "n/a" if fraction is None else f"{100 * fraction:.1f}%"


# ---------------------------------------------------------------- a. agreement


def nested_paths(doc, field):
    """Paths (through objects, not arrays) ending in a key named field."""
    found = []

    def walk(node, path):
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, path + [key])
            elif key == field and path and not isinstance(value, list):
                found.append(".".join(path + [key]))

    walk(doc, [])
    return found


def resolve(doc, field):
    """Where courtside's diag JSON carries the peer's field: the top-level key
    of the same name, else the one nested object key of that name."""
    if field in doc and not isinstance(doc[field], (dict, list)):
        return field, []
    candidates = nested_paths(doc, field)
    if len(candidates) == 1:
        return candidates[0], candidates
    return None, candidates


def get_path(doc, path):
    for key in path.split("."):
        doc = doc[key]
    return doc


def agree(kind, a, b):
    """(same?, relative difference or None)."""
    if a is None or b is None:
        return a is None and b is None, None
    if isinstance(a, bool) or isinstance(b, bool):
        return False, None
    if kind == "count":
        if float(a) != int(a) or float(b) != int(b):
            return False, None
        return int(a) == int(b), abs(int(a) - int(b))
    diff = abs(a - b) / max(abs(a), abs(b)) if (a or b) else 0.0
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12), diff


def agreement(args, store):
    say("== a. agreement: courtside diag --json vs the pandas peer (1M store)")
    say(f"   dates {', '.join(AGREE_DATES)}; systems {', '.join(SYSTEMS)}; "
        f"floats to {REL_TOL:g} relative, counts exact")
    peer_cmd = [sys.executable, args.peer, store, "--dates", ",".join(AGREE_DATES)]
    wall, proc = run(peer_cmd, capture=True)
    peer_rows = {}
    peer_fields = set()
    for line in proc.stdout.splitlines():
        if line.strip():
            row = json.loads(line)
            peer_rows[(row["game_date"], row["system_id"])] = row
            peer_fields.update(row)
    say(f"   pandas peer: {len(peer_rows)} rows (every system) in {fmt_s(wall)}")

    ours = {}
    for day in AGREE_DATES:
        for system in SYSTEMS:
            cmd = [args.courtside, "--store", store, "diag", "--date", day, "--system", system, "--json"]
            wall, proc = run(cmd, ok=DIAG_OK + (3,), capture=True)
            doc = json.loads(proc.stdout) if proc.stdout.strip() else None
            if isinstance(doc, list):
                doc = doc[0] if len(doc) == 1 else None
            ours[(day, system)] = (doc, proc.returncode)

    # Which names line up: read one courtside document.
    sample = next((doc for doc, _ in ours.values() if doc), None)
    if sample is None:
        raise Failure("courtside diag printed no JSON for any date and system")
    wanted = FLOAT_FIELDS + COUNT_FIELDS
    mapping, unmatched = {}, []
    for field in wanted:
        if field not in peer_fields:
            unmatched.append((field, "not emitted by the pandas peer"))
            continue
        path, candidates = resolve(sample, field)
        if path is None:
            why = ("not in courtside's diag JSON" if not candidates
                   else f"ambiguous in courtside's diag JSON: {', '.join(candidates)}")
            unmatched.append((field, why))
        else:
            mapping[field] = path
    say("   field mapping (pandas peer -> courtside diag JSON):")
    for field in wanted:
        if field in mapping:
            path = mapping[field]
            say(f"     {field:24} -> {path}" + ("" if path == field else "   (nested, not top-level)"))
    for field, why in unmatched:
        say(f"     {field:24} -> NOT COMPARED: {why}")
    extra_peer = sorted(peer_fields - set(wanted) - {"game_date", "system_id"})
    if extra_peer:
        say(f"   peer fields outside the list, not compared: {', '.join(extra_peer)}")

    mismatches, compared, worst = [], 0, 0.0
    for day in AGREE_DATES:
        for system in SYSTEMS:
            doc, code = ours[(day, system)]
            peer = peer_rows.get((day, system))
            if doc is None or peer is None:
                mismatches.append((day, system, "(row)",
                                   "missing" if doc is None else "present",
                                   "missing" if peer is None else "present", None))
                say(f"   {day} {system:12} row missing on "
                    f"{'courtside (exit %d)' % code if doc is None else 'the pandas peer'}")
                continue
            if doc.get("game_date") != day or doc.get("system_id") != system:
                mismatches.append((day, system, "(key)", f"{doc.get('game_date')} {doc.get('system_id')}",
                                   f"{day} {system}", None))
            bad = 0
            for field, path in mapping.items():
                kind = "count" if field in COUNT_FIELDS else "float"
                try:
                    mine = get_path(doc, path)
                except (KeyError, TypeError):
                    mine = "(absent)"
                theirs = peer.get(field)
                same, diff = agree(kind, mine, theirs) if mine != "(absent)" else (False, None)
                compared += 1
                if kind == "float" and diff is not None:
                    worst = max(worst, diff)
                if not same:
                    bad += 1
                    mismatches.append((day, system, field, mine, theirs, diff))
            say(f"   {day} {system:12} {len(mapping) - bad}/{len(mapping)} fields agree"
                f"  (diag exit {code})")
    say(f"   {compared} values compared; largest relative float difference {worst:.2e}")
    result = {
        "compared_values": compared,
        "fields_compared": sorted(mapping),
        "field_paths": mapping,
        "fields_not_compared": {field: why for field, why in unmatched},
        "max_rel_diff": worst,
        "mismatches": len(mismatches),
    }
    if mismatches:
        say(f"   DISAGREEMENT: {len(mismatches)} value(s) differ:")
        for day, system, field, mine, theirs, diff in mismatches:
            d = "" if diff is None else f"  (diff {diff:.3g})"
            say(f"     {day} {system:12} {field:24} courtside={mine!r} pandas={theirs!r}{d}")
    elif unmatched:
        say(f"   AGREE on the {len(mapping)} fields that line up; "
            f"{len(unmatched)} not compared (listed above)")
    else:
        say(f"   AGREE on all {len(mapping)} fields")
    return result


# ---------------------------------------------------------------- b, c, d


def backfill_cmd(args, store):
    cmd = [args.courtside, "--store", store, "backfill", "--from", FROM, "--to", TO]
    for system in SYSTEMS:
        cmd += ["--system", system]
    return cmd + ["--json"]


def backfill_vs_per_date(args, store, n):
    say(f"== b. backfill {FROM}..{TO} (365 days) x 3 systems, 1M store, warm page cache, {n} runs each")
    warm(store)
    say(f"   store resident in page cache: {pct(resident_fraction(store))}")
    first = series("courtside backfill, first pass (kept day sums dropped before each run), "
                   "stdout to /dev/null",
                   backfill_cmd(args, store), n, before=lambda: forget_kept(store))
    ours = series("courtside backfill, day sums kept by the run before, stdout to /dev/null",
                  backfill_cmd(args, store), n)

    def reported(proc):
        try:
            return f"self-reported {float(proc.stdout.strip().splitlines()[-1]):.3f} s"
        except (ValueError, IndexError):
            return "self-report unreadable"

    theirs = series("per-date method (4 window queries per system and date)",
                    [args.per_date, store, FROM, TO], n, capture=True, note=reported)
    ratio = theirs["median_s"] / ours["median_s"]
    first_ratio = theirs["median_s"] / first["median_s"]
    say(f"   per-date / courtside first pass: {first_ratio:.1f}x  "
        f"({fmt_s(theirs['median_s'])} vs {fmt_s(first['median_s'])})")
    say(f"   per-date / courtside kept: {ratio:.1f}x  "
        f"({fmt_s(theirs['median_s'])} vs {fmt_s(ours['median_s'])})")
    return {"courtside_first_pass": first, "courtside": ours, "per_date": theirs,
            "ratio_per_date_over_courtside_first_pass": first_ratio,
            "ratio_per_date_over_courtside": ratio}


def verify_eviction(store):
    """Cold read vs warm read of the store after posix_fadvise DONTNEED."""
    warm(store)
    before = resident_fraction(store)
    evict(store)
    after = resident_fraction(store)
    cold = read_through(store)
    warm_read = read_through(store)
    size_mib = os.path.getsize(store) / (1 << 20)
    by_time = cold > 3 * warm_read
    by_mincore = None if after is None else after <= 0.01
    took = by_time if by_mincore is None else (by_time and by_mincore)
    say(f"   eviction check on {size_mib:.0f} MiB: resident {pct(before)} before, {pct(after)} after "
        f"posix_fadvise(DONTNEED); read after eviction {fmt_s(cold)} "
        f"({size_mib / cold:.0f} MiB/s), read again {fmt_s(warm_read)} ({size_mib / warm_read:.0f} MiB/s)")
    if took:
        say("   eviction TOOK EFFECT: the runs below start with the store out of the page cache")
    else:
        say("   eviction DID NOT TAKE EFFECT (the cold read was not clearly slower or pages stayed "
            "resident): the 'cold' runs below are warm or partly warm")
    return {
        "took_effect": took,
        "resident_before": before,
        "resident_after": after,
        "cold_read_s": cold,
        "warm_read_s": warm_read,
    }


def cold_full_range(args, store, n):
    say(f"== c. full range {FROM}..{TO}, every system, cold page cache, 1M store, {n} runs each")
    check = verify_eviction(store)

    def before():
        evict(store)
        return f"store resident before the run: {pct(resident_fraction(store))}"

    def before_first():
        forget_kept(store)
        return before()

    full_range = [args.courtside, "--store", store, "backfill", "--from", FROM, "--to", TO,
                  "--all-systems", "--json"]
    first = series("courtside backfill --all-systems, first pass (kept day sums dropped), "
                   "stdout to /dev/null, under /usr/bin/time -v",
                   full_range, n, before=before_first, rss=True)
    run(full_range)  # keeps the day sums again
    ours = series("courtside backfill --all-systems, day sums kept, stdout to /dev/null, "
                  "under /usr/bin/time -v",
                  full_range, n, before=before, rss=True)

    def peer_seconds(proc):
        found = re.search(r"pandas peer: ([\d.]+) s", proc.stderr or "")
        return f"self-reported {found.group(1)} s" if found else "self-report missing"

    theirs = series("pandas peer --range, stdout to /dev/null, under /usr/bin/time -v",
                    [sys.executable, args.peer, store, "--range", FROM, TO],
                    n, before=before, rss=True, note=peer_seconds)
    ratio = theirs["median_s"] / ours["median_s"]
    first_ratio = theirs["median_s"] / first["median_s"]
    rss_ratio = theirs["peak_rss_mib_median"] / ours["peak_rss_mib_median"]
    first_rss_ratio = theirs["peak_rss_mib_median"] / first["peak_rss_mib_median"]
    for label, mine, wall_ratio, memory_ratio in (("first pass", first, first_ratio, first_rss_ratio),
                                                  ("kept", ours, ratio, rss_ratio)):
        say(f"   pandas / courtside {label}: wall {wall_ratio:.1f}x ({fmt_s(theirs['median_s'])} vs "
            f"{fmt_s(mine['median_s'])}); peak RSS {memory_ratio:.1f}x "
            f"({theirs['peak_rss_mib_median']:.0f} vs {mine['peak_rss_mib_median']:.0f} MiB)")
    say("   (only the store is evicted; binaries, the Python interpreter and pandas stay cached)")
    return {"eviction": check, "courtside_first_pass": first, "courtside": ours, "pandas": theirs,
            "ratio_pandas_over_courtside_first_pass": first_ratio,
            "ratio_pandas_over_courtside": ratio,
            "rss_ratio_pandas_over_courtside_first_pass": first_rss_ratio,
            "rss_ratio_pandas_over_courtside": rss_ratio}


def prediction_rows(store):
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as connection:
            return connection.execute("SELECT COUNT(*) FROM prediction_accuracy").fetchone()[0]
    except sqlite3.Error:
        return None


def growth(args, stores, n, quick):
    say(f"== d. growth: diag --all-systems --date {GROWTH_DATE} and the backfill of (b), "
        f"warm page cache, {n} runs each")
    out = {}
    for rows, store in sorted(stores.items()):
        count = prediction_rows(store)
        size_mib = os.path.getsize(store) / (1 << 20)
        say(f"  -- {rows / 1e6:g}M store: {store} ({size_mib:.0f} MiB, "
            f"{count if count is not None else '?'} prediction rows)")
        warm(store)
        diag_cmd = [args.courtside, "--store", store, "diag", "--all-systems", "--date", GROWTH_DATE,
                    "--json"]
        forget = lambda: forget_kept(store)  # noqa: E731
        diag = series("diag --all-systems --json, first pass, stdout to /dev/null",
                      diag_cmd, n, ok=DIAG_OK, before=forget)
        backfill = series("backfill 365 days x 3 systems --json, first pass, stdout to /dev/null",
                          backfill_cmd(args, store), n, before=forget)
        diag_kept = series("diag --all-systems --json, day sums kept, stdout to /dev/null",
                           diag_cmd, n, ok=DIAG_OK)
        backfill_kept = series("backfill 365 days x 3 systems --json, day sums kept, "
                               "stdout to /dev/null", backfill_cmd(args, store), n)
        out[str(rows)] = {"store": store, "prediction_rows": count, "size_mib": size_mib,
                          "diag": diag, "backfill": backfill,
                          "diag_kept": diag_kept, "backfill_kept": backfill_kept}
    say("  summary (median; first pass, then with the day sums kept):")
    say(f"    {'store':>8} {'rows':>10} {'diag':>10} {'backfill':>10} {'diag kept':>10} {'bf kept':>10}")
    for rows, entry in sorted(out.items(), key=lambda item: int(item[0])):
        say(f"    {int(rows) / 1e6:>7g}M {entry['prediction_rows'] or 0:>10} "
            f"{entry['diag']['median_s']:>9.3f}s {entry['backfill']['median_s']:>9.3f}s "
            f"{entry['diag_kept']['median_s']:>9.3f}s {entry['backfill_kept']['median_s']:>9.3f}s")
    ratios = {}
    if "3000000" in out and "1000000" in out:
        big, base = out["3000000"], out["1000000"]
        ratios = {
            "diag_3m_over_1m": big["diag"]["median_s"] / base["diag"]["median_s"],
            "backfill_3m_over_1m": big["backfill"]["median_s"] / base["backfill"]["median_s"],
            "diag_kept_3m_over_1m": big["diag_kept"]["median_s"] / base["diag_kept"]["median_s"],
            "backfill_kept_3m_over_1m": (big["backfill_kept"]["median_s"]
                                         / base["backfill_kept"]["median_s"]),
            "rows_3m_over_1m": (big["prediction_rows"] / base["prediction_rows"]
                                if big["prediction_rows"] and base["prediction_rows"] else None),
        }
        rows_ratio = ratios["rows_3m_over_1m"]
        say(f"    3M/1M first pass: diag {ratios['diag_3m_over_1m']:.2f}x, backfill "
            f"{ratios['backfill_3m_over_1m']:.2f}x; kept: diag {ratios['diag_kept_3m_over_1m']:.2f}x, "
            f"backfill {ratios['backfill_kept_3m_over_1m']:.2f}x"
            + (f" (rows {rows_ratio:.2f}x)" if rows_ratio else ""))
    else:
        say("    3M/1M diag: n/a (" + ("--quick: 1M store only" if quick else "no 3M store") + ")")
    return {"stores": out, "ratios": ratios}


# ---------------------------------------------------------------- main


def versions():
    found = {"python": platform.python_version()}
    for name in ("pandas", "numpy"):
        try:
            found[name] = __import__(name).__version__
        except ImportError:
            found[name] = None
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courtside", required=True)
    parser.add_argument("--per-date", required=True)
    parser.add_argument("--forget", required=True)
    parser.add_argument("--peer", required=True)
    parser.add_argument("--store", action="append", required=True, metavar="ROWS=PATH")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--growth-only", action="store_true")
    args = parser.parse_args()
    global FORGET
    FORGET = args.forget
    stores = {}
    for spec in args.store:
        rows, _, path = spec.partition("=")
        stores[int(rows)] = path
    if 1000000 not in stores:
        parser.error("the 1M store (--store 1000000=PATH) is required")
    if args.quick:
        stores = {1000000: stores[1000000]}
    n = 3 if args.quick else 5
    main_store = stores[1000000]

    started = time.perf_counter()
    info = versions()
    say(f"courtside side by side ({'quick: 1M store, ' if args.quick else ''}{n} runs per measurement)")
    say(f"  courtside {args.courtside}; per-date {args.per_date}")
    say(f"  peer {args.peer}: python {info['python']}, pandas {info['pandas']}, numpy {info['numpy']}")
    say(f"  {os.cpu_count()} cores, {platform.platform()}")
    say(f"  stores: " + ", ".join(f"{rows / 1e6:g}M {path}" for rows, path in sorted(stores.items())))
    say()
    summary = {"quick": args.quick, "runs": n, "versions": info}
    try:
        if args.growth_only:
            summary["growth"] = growth(args, stores, n, args.quick)
            say(json.dumps(summary, separators=(",", ":")))
            return 0
        summary["agreement"] = agreement(args, main_store)
        if summary["agreement"]["mismatches"]:
            summary["ok"] = False
            say()
            say("stopping before any timing: courtside and the pandas peer disagree")
            say(json.dumps(summary, separators=(",", ":")))
            return 1
        say()
        summary["backfill"] = backfill_vs_per_date(args, main_store, n)
        say()
        summary["cold_full_range"] = cold_full_range(args, main_store, n)
        say()
        summary["growth"] = growth(args, stores, n, args.quick)
    except Failure as failure:
        say(f"FAILED: {failure}")
        summary["ok"] = False
        summary["error"] = str(failure).splitlines()[0]
        say(json.dumps(summary, separators=(",", ":")))
        return 2
    summary["ok"] = True
    summary["total_s"] = time.perf_counter() - started
    say()
    say(f"done in {summary['total_s']:.0f} s")
    say(json.dumps(summary, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
