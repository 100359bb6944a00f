"""How side_by_side.py times things: running a command (wall time, peak RSS
under /usr/bin/time -v), interleaved series (every side once per round, in
turn, medians over the rounds), the page cache (evict, warm, mincore), the
store's kept day sums (forget_kept), and the machine's load (uptime).
"""

import ctypes
import ctypes.util
import os
import re
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable, Optional


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


def max_rss_kib(report):
    found = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", report)
    if not found:
        raise Failure(f"no 'Maximum resident set size' in /usr/bin/time -v output:\n{report}")
    return int(found.group(1))


def uptime():
    """`uptime` and `nproc` as one line: the load the figures were made under."""
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"uptime: {load}; nproc: {cores}"


@dataclass
class Side:
    """One side of an interleaved measurement: its command, what runs before
    each of its runs (untimed; may return a remark), and what to note."""
    name: str
    cmd: list
    before: Optional[Callable[[], Optional[str]]] = None
    ok: tuple = (0,)
    capture: bool = False
    note: Optional[Callable[[subprocess.CompletedProcess], str]] = None
    rss: bool = False
    walls: list = field(default_factory=list)
    peaks_mib: list = field(default_factory=list)

    def once(self):
        parts = []
        if self.before is not None:
            remark = self.before()
            if remark:
                parts.append(remark)
        if self.rss:
            with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
                wall, proc = run(["/usr/bin/time", "-v", "-o", report.name, *self.cmd],
                                 self.ok, self.capture or self.note is not None)
                peak = max_rss_kib(report.read()) / 1024
            self.peaks_mib.append(peak)
            parts.append(f"peak RSS {peak:.0f} MiB")
        else:
            wall, proc = run(self.cmd, self.ok, self.capture or self.note is not None)
        if self.note is not None:
            parts.append(self.note(proc))
        self.walls.append(wall)
        return wall, parts

    def result(self):
        out = {"median_s": statistics.median(self.walls), "runs_s": self.walls}
        if self.peaks_mib:
            out["peak_rss_mib_median"] = statistics.median(self.peaks_mib)
            out["peak_rss_mib_runs"] = self.peaks_mib
        return out


def interleaved(sides, rounds):
    """rounds rounds of every side once, in the order given (A B C A B C ...),
    so load that drifts during the measurement falls on every side alike.
    Prints each run and each side's median; returns {name: result}."""
    for side in sides:
        say(f"  [{side.name}] $ {' '.join(side.cmd)}")
    for i in range(rounds):
        for side in sides:
            wall, parts = side.once()
            say(f"    round {i + 1}/{rounds} {side.name:<22} {fmt_s(wall)}"
                + (f"  ({'; '.join(parts)})" if parts else ""))
    for side in sides:
        line = f"    median {side.name:<22} {fmt_s(statistics.median(side.walls))}"
        if side.peaks_mib:
            line += (f", peak RSS median {statistics.median(side.peaks_mib):.0f} MiB "
                     f"(max {max(side.peaks_mib):.0f})")
        say(line)
    return {side.name: side.result() for side in sides}


def self_reported(prefix):
    """A note reading the seconds a peer prints on stderr as 'PREFIX: N s'."""
    def note(proc):
        found = re.search(re.escape(prefix) + r": ([\d.]+) s", proc.stderr or "")
        return f"self-reported {found.group(1)} s" if found else "self-report missing"
    return note


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
        say("   eviction TOOK EFFECT: the cold runs start with the store out of the page cache")
    else:
        say("   eviction DID NOT TAKE EFFECT (the cold read was not clearly slower or pages stayed "
            "resident): the 'cold' runs below are warm or partly warm")
    return {"took_effect": took, "resident_before": before, "resident_after": after,
            "cold_read_s": cold, "warm_read_s": warm_read}


# ---------------------------------------------------------------- kept day sums

FORGET = None  # the forget_kept example, set by side_by_side.py from --forget


def forget_kept(store):
    """Drops the day sums the store kept, so the next run is a first pass.
    Through courtside's own bundled SQLite (the forget_kept example): writes
    by this Python's older SQLite twice met "database disk image is
    malformed" on a store a newer SQLite had just written, with PRAGMA
    quick_check clean before and after."""
    proc = subprocess.run([FORGET, store], capture_output=True, text=True)
    if proc.returncode != 0:
        raise Failure(f"forget_kept {store}: {proc.stderr.strip()}")
    return None
