"""Whether courtside and a peer give the same figures, on every (system,
date) of a range: courtside's `backfill --all-systems --json` lines against
the peer's JSON lines. Counts the pairs and values compared and every
difference; side_by_side.py times nothing while one remains.
"""

import json
import math

from measure import Failure, fmt_s, run, say

# The fields compared, as the peers name them.
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
FIELDS = FLOAT_FIELDS + COUNT_FIELDS
REL_TOL = 1e-6
SHOWN = 20  # differences printed in full; all are counted


def json_lines(text):
    return {(row["game_date"], row["system_id"]): row
            for row in (json.loads(line) for line in text.splitlines() if line.strip())}


def nested_paths(doc, name, path=()):
    """Paths (through objects, not arrays) ending in a key named name."""
    for key, value in doc.items():
        if isinstance(value, dict):
            yield from nested_paths(value, name, path + (key,))
        elif key == name and not isinstance(value, list):
            yield path + (key,)


def field_paths(sample):
    """Where courtside's backfill JSON carries each field: the top-level key
    of that name, else the one nested key of that name."""
    mapping = {}
    for name in FIELDS:
        if name in sample and not isinstance(sample[name], (dict, list)):
            mapping[name] = (name,)
            continue
        found = list(nested_paths(sample, name))
        if len(found) != 1:
            raise Failure(f"courtside's backfill JSON has {len(found)} keys named {name}: "
                          f"{['.'.join(p) for p in found]}")
        mapping[name] = found[0]
    return mapping


def value_at(doc, path):
    for key in path:
        doc = doc[key]
    return doc


def same(kind, a, b):
    """(equal?, relative difference or None)."""
    if a is None or b is None:
        return a is None and b is None, None
    if isinstance(a, bool) or isinstance(b, bool):
        return False, None
    if kind == "count":
        if float(a) != int(a) or float(b) != int(b):
            return False, None
        return int(a) == int(b), None
    diff = abs(a - b) / max(abs(a), abs(b)) if (a or b) else 0.0
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12), diff


def compare(ours, theirs, peer_name):
    """Every (date, system) either side answers, every field. Returns a dict
    of counts; prints the first SHOWN differences."""
    only_ours = sorted(set(ours) - set(theirs))
    only_theirs = sorted(set(theirs) - set(ours))
    both = sorted(set(ours) & set(theirs))
    paths = field_paths(ours[both[0]]) if both else {}
    compared, worst, differences = 0, 0.0, []
    for key in both:
        for name, path in paths.items():
            kind = "count" if name in COUNT_FIELDS else "float"
            mine, other = value_at(ours[key], path), theirs[key].get(name)
            equal, diff = same(kind, mine, other)
            compared += 1
            if diff is not None:
                worst = max(worst, diff)
            if not equal:
                differences.append((key, name, mine, other, diff))
    for key in only_ours[:SHOWN]:
        say(f"     {key[0]} {key[1]:<20} answered by courtside only")
    for key in only_theirs[:SHOWN]:
        say(f"     {key[0]} {key[1]:<20} answered by the {peer_name} peer only")
    for (day, system), name, mine, other, diff in differences[:SHOWN]:
        extra = "" if diff is None else f"  (relative {diff:.3g})"
        say(f"     {day} {system:<20} {name:<24} courtside={mine!r} {peer_name}={other!r}{extra}")
    return {
        "pairs_courtside": len(ours),
        "pairs_peer": len(theirs),
        "pairs_compared": len(both),
        "pairs_one_side_only": len(only_ours) + len(only_theirs),
        "values_compared": compared,
        "values_different": len(differences),
        "max_rel_diff": worst,
        "field_paths": {name: ".".join(path) for name, path in paths.items()},
    }


def check_store(label, store, courtside_runs, peers, first, last):
    """courtside_runs: [(name, cmd, before)] whose stdout is backfill JSON
    lines; peers: [(name, cmd)]. Every courtside run against every peer."""
    say(f"  -- {label}: {first}..{last}, every system, fields {len(FIELDS)} "
        f"(floats to {REL_TOL:g} relative, counts exact)")
    answers = {}
    for name, cmd in peers:
        wall, proc = run(cmd, capture=True)
        answers[name] = json_lines(proc.stdout)
        say(f"     {name} peer: {len(answers[name])} (system, date) pairs in {fmt_s(wall)}")
    results = {}
    for run_name, cmd, before in courtside_runs:
        if before is not None:
            before()
        wall, proc = run(cmd, capture=True)
        ours = json_lines(proc.stdout)
        say(f"     courtside {run_name}: {len(ours)} (system, date) pairs in {fmt_s(wall)}")
        for peer_name, theirs in answers.items():
            counts = compare(ours, theirs, peer_name)
            verdict = ("AGREE" if not counts["values_different"] and not counts["pairs_one_side_only"]
                       else "DISAGREE")
            say(f"     courtside {run_name} vs {peer_name}: {verdict}: "
                f"{counts['pairs_compared']} pairs, {counts['values_compared']} values compared, "
                f"{counts['values_different']} different, {counts['pairs_one_side_only']} pairs "
                f"answered by one side only; largest relative float difference "
                f"{counts['max_rel_diff']:.1e}")
            results[f"{run_name} vs {peer_name}"] = counts
    return results
