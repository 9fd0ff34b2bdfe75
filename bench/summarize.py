#!/usr/bin/env python3
"""Turns the raw output of bench/run.sh into the Markdown tables of BENCHMARKS.md: medians over
rounds, and ratios computed within each round (the clients of one round ran back to back
against the same server) then the median of those.

    python3 bench/summarize.py target/bench/results          # the latest run
    python3 bench/summarize.py target/bench/runs/*           # several runs: all their rounds

With several runs, the micro times are the median of the runs' criterion estimates, with their
range; the instruction and allocation counts (deterministic) and the memory section come from the
last. Ratios are the median over rounds with the range over rounds in brackets, and a table per
round gives the load average when the round started next to its headline figures.
The summary is written to summary.md in the last directory given.
"""
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

KV = re.compile(r"(\w+)=(\S+)")


def records(path, tag):
    out = []
    if not path.exists():
        return out
    for line in path.read_text().splitlines():
        if line.startswith(tag + " "):
            out.append(dict(KV.findall(line)))
    return out


def med(values):
    return statistics.median(values) if values else float("nan")


def fmt(x, digits=1):
    if x != x:  # NaN
        return "-"
    return f"{x:,.{digits}f}"


def spread(vals, digits=2, unit="×"):
    """The median, and the range when the values disagree: `1.53× (1.41–1.60)`."""
    if not vals:
        return "-"
    m = fmt(med(vals), digits) + unit
    lo, hi = fmt(min(vals), digits), fmt(max(vals), digits)
    return m if lo == hi else f"{m} ({lo}–{hi})"


def micro(dirs):
    lines = []
    res = dirs[-1]
    samples = defaultdict(list)
    for d in dirs:
        text = (d / "micro.txt").read_text() if (d / "micro.txt").exists() else ""
        for m in re.finditer(r"^(\w+)\s+time:\s+\[([\d.]+) (\S+) ([\d.]+) (\S+) ([\d.]+) (\S+)\]", text, re.M):
            scale = {"ns": 1e-3, "µs": 1.0, "us": 1.0, "ms": 1e3}
            samples[m.group(1)].append(float(m.group(4)) * scale.get(m.group(5), float("nan")))
    times = {k: med(v) for k, v in samples.items()}
    ranges = {k: (min(v), max(v)) for k, v in samples.items()}
    allocs = {r["op"]: r for r in records(res / "micro.txt", "ALLOC")}
    instr = {r["op"]: int(r["instructions_per_call"]) for r in records(res / "instructions.txt", "INSTR")}
    names = list(dict.fromkeys(list(times) + list(allocs) + list(instr)))
    lines.append(f"| operation | time per call (criterion estimate, median of {max([len(v) for v in samples.values()] or [0])} runs, range) | instructions per call (callgrind) | heap allocations per call | reallocations | bytes allocated |")
    lines.append("|---|---:|---:|---:|---:|---:|")
    for n in names:
        a = allocs.get(n, {})
        lines.append(
            f"| `{n}` | {fmt(times.get(n, float('nan')), 2)} µs"
            + (f" ({fmt(ranges[n][0], 2)}–{fmt(ranges[n][1], 2)})" if n in ranges and len(samples[n]) > 1 else "")
            + f" | {fmt(instr.get(n, float('nan')), 0)} | "
            f"{a.get('allocs_per_call', '-')} | {a.get('reallocs_per_call', '-')} | {a.get('bytes_per_call', '-')} |"
        )
    started = [
        f"{d.resolve().name}: others' CPU {r.get('busy', '?')} %, load {r.get('loadavg', '?').replace(',', ' ')}"
        for d in dirs
        for r in records(d / "micro.txt", "LOAD")
    ]
    if started:
        lines += ["", "Criterion started under (2 s sample before it): " + "; ".join(started) + "."]
    return lines


def e2e(dirs):
    rows = []
    loads = {}  # round -> the load averages when it started
    for i, d in enumerate(dirs):
        for r in records(d / "e2e.txt", "RESULT"):
            r["round"] = f"{i}.{r['round']}"
            rows.append(r)
        for r in records(d / "e2e.txt", "LOAD"):
            loads[f"{i}.{r['round']}"] = (
                f"busy {r.get('busy', '?')} %, load {r.get('loadavg', '?').replace(',', ' ')}"
                f", waited {r.get('waited_s', '?')} s"
            )
    lines = []
    by = defaultdict(list)  # (server, client, threads) -> [row per round]
    for r in rows:
        by[(r["server"], r["client"], int(r["threads"]))].append(r)
    servers = list(dict.fromkeys(r["server"] for r in rows))
    clients = ["abi_keepalive", "cand_keepalive", "abi_keepalive_dns", "cand_keepalive_dns",
               "curl_baseline", "raw_floor", "abi_no_keepalive", "cand_no_keepalive", "raw_like_ureq"]
    labels = {
        "abi_keepalive": "a. library, C ABI, keep-alive",
        "cand_keepalive": "a\\*. candidate library, keep-alive",
        "abi_keepalive_dns": "a (host name). library, keep-alive, base URL names localhost",
        "cand_keepalive_dns": "a\\* (host name). candidate, keep-alive, localhost",
        "curl_baseline": "b. libcurl + hand-written C",
        "raw_floor": "c. raw socket floor",
        "abi_no_keepalive": "d. library, keep-alive off",
        "cand_no_keepalive": "d\\*. candidate library, keep-alive off",
        "raw_like_ureq": "c'. raw socket, ureq's syscall pattern",
    }
    for server in servers:
        lines.append(f"#### Server: {server}")
        lines.append("")
        lines.append("| client | threads | median µs | p99 µs | calls/s | failed calls | rounds |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        threads = sorted({t for (s, _, t) in by if s == server})
        for c in clients:
            for t in threads:
                rs = by.get((server, c, t))
                if not rs:
                    continue
                lines.append(
                    f"| {labels[c]} | {t} | {fmt(med([float(r['median_us']) for r in rs]))} | "
                    f"{fmt(med([float(r['p99_us']) for r in rs]))} | "
                    f"{fmt(med([float(r['cps']) for r in rs]), 0)} | "
                    f"{sum(int(r['errors']) for r in rs)} | {len(rs)} |"
                )
        lines.append("")
        # Ratios within each round, then the median over rounds.
        per_round = defaultdict(dict)
        for r in rows:
            if r["server"] == server:
                per_round[r["round"]][(r["client"], int(r["threads"]))] = r
        lines.append("| ratio (median over rounds of the per-round ratio, range over rounds) | " + " | ".join(f"{t} thr" for t in threads) + " |")
        lines.append("|---|" + "---:|" * len(threads))

        def ratio_row(label, num, den, key, invert=False):
            cells = []
            for t in threads:
                vals = []
                for rd in per_round.values():
                    a, b = rd.get((num, t)), rd.get((den, t))
                    if a and b and float(b[key]) > 0:
                        vals.append(float(a[key]) / float(b[key]))
                cells.append(spread(vals))
            lines.append(f"| {label} | " + " | ".join(cells) + " |")

        ratio_row("a/b median latency (library ÷ libcurl)", "abi_keepalive", "curl_baseline", "median_us")
        ratio_row("a/c median latency (library ÷ raw floor)", "abi_keepalive", "raw_floor", "median_us")
        ratio_row("b/c median latency (libcurl ÷ raw floor)", "curl_baseline", "raw_floor", "median_us")
        ratio_row("d/a median latency (keep-alive off ÷ on)", "abi_no_keepalive", "abi_keepalive", "median_us")
        ratio_row("a/b calls/s (library ÷ libcurl)", "abi_keepalive", "curl_baseline", "cps")
        if any(r["client"].startswith("cand") for r in rows):
            ratio_row("a\\*/b median latency (candidate ÷ libcurl)", "cand_keepalive", "curl_baseline", "median_us")
            ratio_row("a\\*/c median latency (candidate ÷ raw floor)", "cand_keepalive", "raw_floor", "median_us")
            ratio_row("a\\*/a median latency (candidate ÷ current)", "cand_keepalive", "abi_keepalive", "median_us")
            ratio_row("a\\*/a calls/s (candidate ÷ current)", "cand_keepalive", "abi_keepalive", "cps")
        lines.append("")
        lines.append("| calls/s at N threads ÷ calls/s sequential (same round; median, range over rounds) | " + " | ".join(f"{t} thr" for t in threads) + " |")
        lines.append("|---|" + "---:|" * len(threads))
        for c in clients:
            cells = []
            any_ = False
            for t in threads:
                vals = []
                for rd in per_round.values():
                    a, b = rd.get((c, t)), rd.get((c, 1))
                    if a and b and float(b["cps"]) > 0:
                        vals.append(float(a["cps"]) / float(b["cps"]))
                any_ |= bool(vals)
                cells.append(spread(vals))
            if any_:
                lines.append(f"| {labels[c]} | " + " | ".join(cells) + " |")
        lines.append("")
        # Round by round: the headline figures next to the load the round started under.
        top = max(threads)
        lines.append(f"| round | others' CPU before it (2 s sample), load average, wait | a seq µs | b seq µs | a/b seq | a {top} thr calls/s | b {top} thr calls/s | a/b {top} thr calls/s | a {top}÷1 | b {top}÷1 | c {top}÷1 |")
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

        def get(rd, c, t, key):
            r = rd.get((c, t))
            return float(r[key]) if r else float("nan")

        def div(a, b):
            return a / b if b == b and a == a and b > 0 else float("nan")

        for rnd, rd in per_round.items():
            a1, b1 = get(rd, "abi_keepalive", 1, "median_us"), get(rd, "curl_baseline", 1, "median_us")
            at, bt = get(rd, "abi_keepalive", top, "cps"), get(rd, "curl_baseline", top, "cps")
            sc = [div(get(rd, c, top, "cps"), get(rd, c, 1, "cps")) for c in ("abi_keepalive", "curl_baseline", "raw_floor")]
            lines.append(
                f"| {rnd} | {loads.get(rnd, '?')} | {fmt(a1)} | {fmt(b1)} | {fmt(div(a1, b1), 2)}× | "
                f"{fmt(at, 0)} | {fmt(bt, 0)} | {fmt(div(at, bt), 2)}× | "
                + " | ".join(fmt(x, 2) + "×" for x in sc) + " |"
            )
        lines.append("")
    return lines


def memory(res):
    lines = []
    for f in sorted(res.glob("memory*.txt")):
        text = f.read_text()
        lines.append(f"`{f.name}`:")
        lines.append("")
        lines.append("```")
        lines.extend(l for l in text.splitlines() if l.startswith(("MEM", "ALLOCS", "SIZE", "  ")) or "libstarpos" in l)
        lines.append("```")
        lines.append("")
    return lines


def main():
    dirs = [Path(a) for a in sys.argv[1:]] or [Path("target/bench/results")]
    dirs = [d for d in dirs if (d / "machine.txt").exists()]
    if not dirs:
        sys.exit("no bench/run.sh results found")
    res = dirs[-1]
    out = [f"Runs: {', '.join(d.resolve().name for d in dirs)}", ""]
    out += ["### Micro (no network)", ""] + micro(dirs) + ["", "### End to end over loopback", ""]
    out += e2e(dirs)
    out += ["### Memory", ""] + memory(res)
    for d in dirs:
        env = d / "machine.txt"
        out += [f"### Machine ({d.resolve().name})", "", "```", env.read_text().rstrip(), "```", ""]
    text = "\n".join(out) + "\n"
    (res / "summary.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
