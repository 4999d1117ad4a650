"""Mutation test of the core: do the tests catch a one-point change to the engine, the guards,
the effects, the audit operations and every permissions module?

    .venv/bin/python -m bench.mutation [--seed 12] [--sample 145] [--jobs 1]
    .venv/bin/python -m bench.mutation --ids 3fa2c1d0e9,77b0... # rerun chosen mutants
    .venv/bin/python -m bench.mutation --survivors-of bench/results/mutation.json
    .venv/bin/python -m bench.mutation --list           # the sample, without running it

Each mutant runs against the whole non-browser suite on SQLite (`-m 'not browser' -x`): first
the tests that executed the mutated lines in a coverage run of the unmutated code (one context
per test), fastest first; then, only if those all pass, every other test. A mutant whose run
outlives its timeout counts as killed by timeout, and is reported as such. Mutants are applied
to copies of the tree in a temporary folder: the working tree is never written, so an
interrupted run leaves nothing behind. Mutants listed in bench/mutation_equivalent.toml (keyed
by id, with a reason) are not run and not counted.
"""

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.mutants import Mutant, compiles, mutants_of

ROOT = Path(__file__).resolve().parents[1]
CORE = [
    "twinflow/workflow/engine.py",
    "twinflow/workflow/signoffs.py",  # the sign-off half of the one path (issue 13)
    "twinflow/workflow/subjects.py",  # what differs between a project and a record
    "twinflow/workflow/guards.py",
    "twinflow/workflow/effects.py",
    # The sealed chain: appending, hashing, keying, verifying and anchoring.
    "twinflow/audit/operations.py",
    "twinflow/audit/chain.py",
    "twinflow/audit/keys.py",
    "twinflow/audit/verify.py",
    "twinflow/audit/anchors.py",
]
PERMISSIONS_GLOB = "twinflow/**/permissions.py"
EQUIVALENT_FILE = ROOT / "bench" / "mutation_equivalent.toml"
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", ".hypothesis", ".pytest_cache", "instance", "node_modules"
)
PYTEST = ["-m", "pytest", "-p", "no:cacheprovider", "-q", "-m", "not browser", "--tb=short"]
PYTEST += ["-p", "bench.mutation_plugin"]
RUNNING: set[subprocess.Popen] = set()  # ended at once if the run is interrupted
# Test files changed since the coverage map was made: they may hold tests it does not know.
CHANGED_TESTS: set[str] = set()
NEW_FIRST = False  # reruns of chosen mutants: the tests added since the map run first


def target_files() -> list[str]:
    found = {str(p.relative_to(ROOT)) for p in ROOT.glob(PERMISSIONS_GLOB)}
    return sorted(set(CORE) | found)


def all_mutants(files: list[str]) -> list[Mutant]:
    out = []
    for path in files:
        out += mutants_of(path, (ROOT / path).read_bytes())
    return out


def sample(mutants: list[Mutant], seed: int, size: int) -> list[Mutant]:
    """The `size` mutants whose hash with the seed ranks lowest: reproducible, and an edit
    elsewhere in the code changes the sample only by the mutants it adds or removes."""
    rank = sorted(mutants, key=lambda m: hashlib.sha256(f"{seed}:{m.id}".encode()).digest())
    return rank[:size]  # in that order: the first mutants done are a fair sample too


def load_equivalent() -> dict[str, str]:
    if not EQUIVALENT_FILE.exists():
        return {}
    table = tomllib.loads(EQUIVALENT_FILE.read_text()).get("equivalent", {})
    return {mid: entry["reason"] for mid, entry in table.items()}


class Copy:
    """One copy of the tree that mutants are written into, one at a time."""

    def __init__(self, folder: Path, postgresql: bool = False):
        self.folder = folder
        self.postgresql = postgresql  # keep TWINFLOW_TEST_DATABASE_URL: both backends
        shutil.copytree(ROOT, folder, ignore=COPY_IGNORE)

    def env(self, **extra) -> dict:
        drop = () if self.postgresql else ("TWINFLOW_TEST_DATABASE_URL",)
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env |= {"PYTHONPATH": str(self.folder), "PYTHONDONTWRITEBYTECODE": "1"} | extra
        return env

    def write(self, path: str, content: bytes) -> None:
        target = self.folder / path
        target.write_bytes(content)
        for cached in (target.parent / "__pycache__").glob(f"{target.stem}.*.pyc"):
            cached.unlink()

    def pytest(self, args: list[str], timeout: float, **env) -> tuple[str, float, str]:
        """('passed' | 'failed' | 'timeout' | 'error <code>', seconds, output tail)."""
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, *PYTEST, *args],
            cwd=self.folder,
            env=self.env(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so a timeout ends the test's own children too
        )
        RUNNING.add(proc)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return "timeout", time.monotonic() - started, ""
        finally:
            RUNNING.discard(proc)
        seconds = time.monotonic() - started
        text = out.decode(errors="replace")
        if proc.returncode < 0:  # ended by a signal: this run was interrupted
            return f"error {proc.returncode}", seconds, text[-4000:]
        if proc.returncode in (0, 5):  # 5: nothing left to run
            return "passed", seconds, text[-4000:]
        if "unrecognized arguments" in text or "INTERNALERROR" in text:
            return f"error {proc.returncode}", seconds, text[-4000:]
        # 1: a test failed; 2: collection failed; 4: a conftest could not import the mutant
        return "failed", seconds, text[-4000:]


def _code_hash() -> str:
    digest = hashlib.sha256()
    for folder in ("twinflow", "workflows", "migrations"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def coverage_map(work: Path, copy: Copy, files: list[str], jobs: int) -> tuple[dict, dict, float]:
    """Run the unmutated suite once under coverage with one context per test: which tests ran
    each line of the target files, and how long each test took. The suite must pass. Kept in
    .mutation-cache/ for the same code: the map only orders the tests (a test added since runs
    in the second phase, a test gone is skipped), so tests may change without a new run."""
    cache = ROOT / ".mutation-cache" / f"coverage-{_code_hash()}.json"
    if cache.exists():
        saved = json.loads(cache.read_text())
        made = saved.get("started", cache.stat().st_mtime - saved["seconds"])
        CHANGED_TESTS.update(
            str(p.relative_to(ROOT))
            for p in (ROOT / "tests").rglob("test_*.py")
            if p.stat().st_mtime > made
        )
        lines = {f: {int(n): set(t) for n, t in by.items()} for f, by in saved["lines"].items()}
        return lines, saved["durations"], saved["seconds"]
    rc = work / "coveragerc"
    rc.write_text("[run]\ninclude =\n" + "".join(f"    {copy.folder / f}\n" for f in files))
    data_file, durations = work / ".coverage", work / "durations.json"
    # On as many processes as mutants would run side by side (pytest-cov merges the workers').
    spread = ["-n", str(jobs), "--dist", "loadgroup"] if jobs > 1 else []
    outcome, seconds, tail = copy.pytest(
        [*spread, "--cov", f"--cov-config={rc}", "--cov-context=test", "--cov-report="],
        timeout=3600,
        COVERAGE_FILE=str(data_file),
        MUTATION_DURATIONS=str(durations),
    )
    if outcome != "passed":
        sys.exit(f"The unmutated suite does not pass ({outcome}); fix that first:\n{tail}")
    from coverage import CoverageData

    data = CoverageData(basename=str(data_file))
    data.read()
    lines: dict[str, dict[int, set[str]]] = {}
    for measured in data.measured_files():
        relative = str(Path(measured).relative_to(copy.folder))
        lines[relative] = {
            n: {c.rsplit("|", 1)[0] for c in contexts if c}
            for n, contexts in data.contexts_by_lineno(measured).items()
        }
    durations = json.loads(durations.read_text())
    cache.parent.mkdir(exist_ok=True)
    kept = {f: {n: sorted(t) for n, t in by.items()} for f, by in lines.items()}
    started = time.time() - seconds
    cache.write_text(
        json.dumps({"lines": kept, "durations": durations, "seconds": seconds, "started": started})
    )
    return lines, durations, seconds


def run_mutant(
    mutant: Mutant, copy: Copy, covering: list[str], durations: dict, covering_only: bool = False
) -> dict:
    original = (ROOT / mutant.path).read_bytes()
    listed, known = copy.folder / ".mutation-tests", copy.folder / ".mutation-known"
    listed.write_text("\n".join(covering))
    known.write_text("\n".join(durations))
    result = mutant.summary() | {"covering_tests": len(covering)}
    total = sum(durations.values())
    copy.write(mutant.path, mutant.apply(original))
    try:
        # Always a first phase: tests added since the coverage map run there too.
        phases = [("listed", sum(durations.get(t, 1.0) for t in covering))]
        if not covering_only:
            phases.append(("rest", total - sum(durations.get(t, 0.0) for t in covering)))
        for phase, expected in phases:
            # Generous: the machine is shared, and a mutant may make every test slower.
            timeout = 120 + 3 * expected
            # Collecting ~1,000 tests costs more than a killed mutant's run: the first phase
            # collects only the files of its tests and the test files changed since the map.
            files = set()
            if phase == "listed":
                files = {t.split("::")[0] for t in covering} | CHANGED_TESTS
            outcome, seconds, tail = copy.pytest(
                ["-x", *sorted(files)],
                timeout,
                MUTATION_TESTS=str(listed),
                MUTATION_PHASE=phase,
                MUTATION_KNOWN=str(known),
                **({"MUTATION_NEW_FIRST": "1"} if NEW_FIRST else {}),
            )
            result[f"{phase}_seconds"] = round(seconds, 1)
            if outcome != "passed":
                result["status"] = "killed" if outcome == "failed" else outcome
                result["phase"] = phase
                result["killed_by"] = _first_failure(tail)
                if outcome.startswith("error"):
                    result["output"] = tail
                return result
        result["status"] = "survived"
        result["diff"] = mutant.diff(original)
        if covering_only:  # not met the rest of the suite: a survivor here may be killed there
            result["rest_not_run"] = True
        return result
    finally:
        copy.write(mutant.path, original)


def _first_failure(tail: str) -> str | None:
    for line in tail.splitlines():
        if line.startswith(("FAILED tests/", "ERROR tests/")):
            return line.split(" - ")[0].split(" ", 1)[1]
    return None


def covering_tests(mutant: Mutant, lines: dict, durations: dict) -> list[str]:
    by_line = lines.get(mutant.path, {})
    tests = set().union(*(by_line.get(n, set()) for n in range(mutant.line, mutant.end_line + 1)))
    if not tests:
        # A line run only on import (a module constant, a statement built once) is covered by
        # no test's context: every test that runs the module's code stands in for them.
        tests = set().union(*by_line.values())
    return sorted(tests, key=lambda t: (durations.get(t, 1.0), t))


def report(results: list[dict], equivalent: dict, meta: dict, out: Path) -> None:
    counted = [r for r in results if r["status"] in ("killed", "timeout", "survived")]
    killed = [r for r in counted if r["status"] != "survived"]
    survivors = [r for r in results if r["status"] == "survived"]
    score = len(killed) / len(counted) if counted else 0.0
    meta |= {
        "killed": len(killed),
        "timeouts": sum(r["status"] == "timeout" for r in results),
        "survived": len(survivors),
        "errors": sum(r["status"].startswith("error") for r in results),
        "equivalent": sum(r["status"] == "equivalent" for r in results),
        "score": round(score, 4),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps({"run": meta, "mutants": results}, indent=1))
    md = [
        f"# Mutation run, seed {meta['seed']}, {meta['mutants']} mutants",
        "",
        f"Commit {meta['commit']}{' (with uncommitted changes)' if meta['dirty'] else ''}; "
        f"{meta['population']} mutants in {len(meta['files'])} files; "
        f"took {meta['minutes']} min with {meta['jobs']} job(s).",
        "",
        *(
            [
                "Covering tests only (`--covering-only`): survivors did not meet the rest of "
                "the suite, so the score is a lower bound.",
                "",
            ]
            if meta.get("covering_only")
            else []
        ),
        *(
            [f"Combined (a later file's verdict wins): {', '.join(meta['combined_from'])}.", ""]
            if meta.get("combined_from")
            else []
        ),
        f"**Score: {len(killed)}/{len(counted)} = {score:.1%}** of non-equivalent mutants "
        f"killed ({meta['timeouts']} by timeout); {meta['equivalent']} equivalent (not run); "
        f"{meta['errors']} errors (runner problems, not counted).",
        "",
        "## Survivors",
        "",
    ]
    for r in sorted(survivors, key=lambda r: r["where"]):
        md += [
            f"### `{r['id']}` {r['where']} in `{r['function']}` ({r['operator']}), "
            f"covered by {r['covering_tests']} tests"
            + (" (rest of the suite not run)" if r.get("rest_not_run") else ""),
            "",
            "```diff",
            r["diff"].rstrip(),
            "```",
            "",
        ]
    md += ["## Equivalent (listed in bench/mutation_equivalent.toml)", ""]
    md += [
        f"- `{r['id']}` {r['where']}: {equivalent[r['id']]}"
        for r in results
        if r["id"] in equivalent
    ]
    out.with_suffix(".md").write_text("\n".join(md) + "\n")


def combine(paths: list[Path], out: Path) -> None:
    equivalent, by_id, meta = load_equivalent(), {}, {}
    for path in paths:
        run = json.loads(path.read_text())
        meta = meta or run["run"]
        by_id |= {r["id"]: r for r in run["mutants"]}
    results = [r | {"status": "equivalent"} if r["id"] in equivalent else r for r in by_id.values()]
    meta = dict(meta) | {"mutants": len(results), "combined_from": [str(p) for p in paths]}
    report(results, equivalent, meta, out)
    print(f"results in {out.with_suffix('.md')}")


def _git(*args) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--sample", type=int, default=145)
    parser.add_argument("--jobs", type=int, default=1, help="copies run side by side")
    parser.add_argument("--ids", help="comma-separated mutant ids to run instead of a sample")
    parser.add_argument("--survivors-of", type=Path, help="rerun the survivors of a results file")
    parser.add_argument("--list", action="store_true", help="print the mutants and stop")
    parser.add_argument(
        "--resume",
        type=Path,
        help="a results file of a run cut short: its decided mutants are not run again",
    )
    parser.add_argument(
        "--postgresql",
        action="store_true",
        help="run the mutants on PostgreSQL too (TWINFLOW_TEST_DATABASE_URL): for mutants of "
        "code only PostgreSQL runs; the coverage map stays the SQLite one",
    )
    parser.add_argument(
        "--covering-only",
        action="store_true",
        help="run each mutant against the tests that executed its lines only, not the rest of "
        "the suite: much faster on a busy machine; a survivor may still die in the rest, so the "
        "score is a lower bound",
    )
    parser.add_argument(
        "--combine",
        type=Path,
        nargs="+",
        help="no run: merge results files (a later one's verdict on a mutant wins, e.g. a rerun "
        "of survivors) and score them against the current equivalent list",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "mutation")
    args = parser.parse_args(argv)

    if args.combine:
        combine(args.combine, args.out)
        return
    files = target_files()
    population = [m for m in all_mutants(files) if compiles(m, (ROOT / m.path).read_bytes())]
    if args.ids or args.survivors_of:
        global NEW_FIRST
        NEW_FIRST = True
        wanted = set(args.ids.split(",")) if args.ids else set()
        if args.survivors_of:
            runs = json.loads(args.survivors_of.read_text())["mutants"]
            wanted |= {r["id"] for r in runs if r["status"] == "survived"}
        chosen = [m for m in population if m.id in wanted]
        missing = wanted - {m.id for m in chosen}
        if missing:
            print(f"not found (the code changed?): {', '.join(sorted(missing))}")
    else:
        chosen = sample(population, args.seed, args.sample)
        if args.resume:
            done = json.loads(args.resume.read_text())["mutants"]
            decided = {r["id"] for r in done if not r["status"].startswith("error")}
            chosen = [m for m in chosen if m.id not in decided]
    if args.list:
        for m in chosen:
            print(f"{m.id}  {m.path}:{m.line}  {m.operator}  {m.original!r} -> {m.replacement!r}")
        return

    equivalent = load_equivalent()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` cleans up like Ctrl-C
    before = {f: (ROOT / f).read_bytes() for f in files}
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="twinflow-mutation-"))
    results: list[dict] = []
    lock = threading.Lock()
    meta = {
        "seed": args.seed,
        "mutants": len(chosen),
        "population": len(population),
        "files": files,
        "jobs": args.jobs,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--", "twinflow", "tests")),
        "covering_only": args.covering_only,
        "postgresql": args.postgresql,
    }
    try:
        copies = [Copy(work / f"copy{i}", args.postgresql) for i in range(args.jobs)]
        print(f"coverage run of the unmutated suite in {work} ...", flush=True)
        lines, durations, baseline = coverage_map(work, copies[0], files, args.jobs)
        meta["baseline_seconds"] = round(baseline, 1)
        print(f"  {len(durations)} tests, {baseline:.0f} s under coverage", flush=True)
        free = list(copies)

        def one(mutant: Mutant) -> None:
            if mutant.id in equivalent:
                result = mutant.summary() | {"status": "equivalent"}
            else:
                with lock:
                    copy = free.pop()
                try:
                    covering = covering_tests(mutant, lines, durations)
                    result = run_mutant(mutant, copy, covering, durations, args.covering_only)
                finally:
                    with lock:
                        free.append(copy)
            with lock:
                results.append(result)
                done = len(results)
                print(
                    f"[{done}/{len(chosen)}] {result['status']:<10} {mutant.id} "
                    f"{mutant.path}:{mutant.line} {mutant.operator}",
                    flush=True,
                )
                meta["minutes"] = round((time.monotonic() - started) / 60, 1)
                report(results, equivalent, dict(meta), args.out)  # partial results survive

        pool = ThreadPoolExecutor(max_workers=args.jobs)
        try:
            list(pool.map(one, chosen))
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
            for proc in list(RUNNING):
                os.killpg(proc.pid, signal.SIGKILL)
            pool.shutdown(wait=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        changed = [f for f in files if (ROOT / f).read_bytes() != before[f]]
        if changed:  # cannot happen: mutants are only ever written into the copies
            print(f"WARNING: these files changed during the run: {changed}", file=sys.stderr)
    meta["minutes"] = round((time.monotonic() - started) / 60, 1)
    report(results, equivalent, dict(meta), args.out)
    print(f"results in {args.out.with_suffix('.md')}")


if __name__ == "__main__":
    main()
