"""The archive-scale benchmark behind ``make bench``.

For each size (1k, 5k, 20k and 100k entries by default) it writes one synthetic archive
(``generator.synthetic``, seed 1) and measures, as medians of ``--runs`` runs:

- ours: clean build wall time and peak memory, a rebuild after adding one entry
  and after editing one (with ``briefings build``, and under one running
  ``briefings serve`` until the served page shows it), ``briefings check``, output size and file count, the
  largest page, and what a reader downloads to run one search; at 20k, the build time
  the open data adds (clean builds and rebuilds with it and with ``open_data: false``,
  taking turns);
- Hugo (Debian's package, installed with apt-get when missing and run as root)
  on the same content with cities/people taxonomies and minimal layouts;
- mkdocs-material's blog plugin (+ mkdocs-rss-plugin), at 5k entries and below,
  from a separate virtual environment (.cache/bench-venv, pinned by
  requirements-bench.txt) on the same corpus converted to blog posts.

Then ``briefings import`` of 20,000 updates (``--import-updates``): the synthetic
archive published as live-blog pages with JSON-LD, imported into an empty content
folder and again unchanged (targets: 30 s and 10 s).

It prints a Markdown table with the ratios and writes it to results.md. A peer
that cannot be installed or fails gets a "skipped: reason" row. Timing uses
``time.perf_counter``; peak memory uses ``/usr/bin/time -f %M`` when present,
else ``resource.getrusage(RUSAGE_CHILDREN)`` in a fresh wrapper process.

    .venv/bin/python tests/bench/bench.py [--sizes 1000,5000] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[2]
BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(REPO))

from generator import synthetic  # noqa: E402

REQUIREMENTS = BENCH_DIR / "requirements-bench.txt"
BENCH_VENV = REPO / ".cache" / "bench-venv"
OPTIONAL_MARK = "# --- optional:"
GNU_TIME = Path("/usr/bin/time")
MB = 1024 * 1024

OURS, HUGO, BLOG = "briefings", "Hugo", "mkdocs-material blog plugin"

TARGET_BLOG_SPEEDUP = 10.0
TARGET_PAGE_BYTES = 1 * MB
TARGET_SEARCH_BYTES = 1 * MB


@dataclass(frozen=True)
class Targets:
    """What a size must meet: clean build against Hugo, rebuilds with ``build`` and under ``serve``, memory."""

    hugo_ratio: float = 1.0
    rebuild_s: float = 2.0
    serve_s: float = 2.0
    peak_mb: float = 600


# By size; the other sizes are measured for the growth between them.
TARGETS = {20000: Targets(), 100000: Targets(serve_s=1.0, peak_mb=2048)}
# Clean-build growth allowed from one size to the next (larger, smaller): at most this many times.
GROWTH = {(20000, 5000): 4.5, (100000, 20000): 5.5}
# A four-year war at 70 updates a day: the shape of the largest archive.
BUSY_FROM, BUSY_PER_DAY = 100000, 70


def per_day(entries: int) -> int:
    """Entries a day in the synthetic archive of ``entries``."""
    return BUSY_PER_DAY if entries >= BUSY_FROM else synthetic.PER_DAY


class BenchError(Exception):
    """A measured command failed."""


@dataclass
class Row:
    tool: str
    entries: int
    skipped: str | None = None
    clean_s: float | None = None
    clean_cpu_s: float | None = None
    peak_mb: float | None = None
    add_s: float | None = None
    edit_s: float | None = None
    serve_add_s: float | None = None  # with `briefings serve`: file saved -> page served changed
    serve_edit_s: float | None = None
    hugo_ratio: float | None = None  # ours / Hugo, the median of run-by-run ratios (clean builds taking turns)
    check_s: float | None = None
    output_bytes: int | None = None
    files: int | None = None
    largest_page: int | None = None
    largest_page_path: str = ""
    search_bytes: int | None = None
    search_kind: str = ""
    open_data: dict[str, int] = field(default_factory=dict)  # the files under data/, by name: their sizes
    open_data_cost: "DataCost | None" = None  # the build time the open data adds (at OPEN_DATA_COST_AT)
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- measuring


def say(message: str) -> None:
    print(message, flush=True)


def run_timed(
    cmd: list[str], *, cwd: Path | None = None, log: Path, env: dict[str, str] | None = None
) -> tuple[float, float | None, float | None]:
    """Run ``cmd``; return (wall seconds, peak RSS in MB, user+system CPU seconds). Raise BenchError if it fails."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss", delete=False) as handle:
        rss_file = Path(handle.name)
    try:
        if GNU_TIME.exists():
            wrapped = [str(GNU_TIME), "-f", "%M %U %S", "-o", str(rss_file), *cmd]
        else:
            wrapped = [sys.executable, "-c", _RUSAGE_WRAPPER, str(rss_file), *cmd]
        with open(log, "ab") as out:
            out.write(("$ " + " ".join(cmd) + "\n").encode())
            out.flush()
            start = time.perf_counter()
            code = subprocess.call(wrapped, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
            seconds = time.perf_counter() - start
        if code != 0:
            tail = log.read_text(errors="replace").strip().splitlines()[-3:]
            raise BenchError(f"exit {code}: " + " | ".join(tail))
        fields = (rss_file.read_text().strip().splitlines() or [""])[-1].split()
        try:
            peak = float(fields[0]) / 1024
            cpu = float(fields[1]) + float(fields[2])
        except (IndexError, ValueError):
            peak = cpu = None
        return seconds, peak, cpu
    finally:
        rss_file.unlink(missing_ok=True)


_RUSAGE_WRAPPER = """\
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    f.write(f"{usage.ru_maxrss} {usage.ru_utime} {usage.ru_stime}")
sys.exit(code)
"""


@dataclass
class CleanJob:
    """One tool's clean build: the command, and what to remove before each run."""

    row: Row
    label: str
    cmd: list[str]
    remove: list[Path]
    cwd: Path
    log: Path
    env: dict[str, str] | None = None
    times: list[float] = field(default_factory=list)


class SetAside:
    """Where earlier output goes between timed builds: moved, not deleted, until the benchmark ends.

    On some file systems, making files is slow right after many were deleted: ext4
    without a journal (this machine's) skips, for every file it makes, each inode of
    its group freed in the last minute (longer while not yet written back). Deleting a
    tool's previous output before each clean build made its next build pay for that:
    Hugo's clean builds at 20,000 entries, which delete and write 20,000 files, took
    from 9 to 30 s of system time, against 4 to 5 s when nothing was just deleted.
    A rename within the work folder frees no inode: each build is timed as on a disk
    that nothing was just deleted from, and the folder is deleted once, at the end.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._count = 0

    def __call__(self, *paths: Path) -> None:
        for path in paths:
            if path.exists():
                self._count += 1
                self.root.mkdir(parents=True, exist_ok=True)
                path.rename(self.root / f"{self._count}-{path.name}")


def clean_builds(jobs: list[CleanJob], runs: int, set_aside: SetAside) -> None:
    """Medians of ``runs`` clean builds of each job, the jobs taking turns run by run.

    Taking turns (A B A B ...) keeps the ratio between two tools meaningful when
    the machine's speed drifts during the benchmark (``paired_ratio``).
    """
    peaks: dict[int, list[float | None]] = {id(job): [] for job in jobs}
    cpus: dict[int, list[float | None]] = {id(job): [] for job in jobs}
    for i in range(runs):
        for job in jobs:
            set_aside(*job.remove)
            seconds, peak, cpu = run_timed(job.cmd, cwd=job.cwd, log=job.log, env=job.env)
            job.times.append(seconds)
            peaks[id(job)].append(peak)
            cpus[id(job)].append(cpu)
            cpu_text = f" (CPU {cpu:.2f} s)" if cpu is not None else ""
            say(f"  {job.label:<10} {job.row.entries:>6}  clean build  run {i + 1}/{runs}: {seconds:7.2f} s{cpu_text} {_mb(peak)}")
    for job in jobs:
        job.row.clean_s, job.row.peak_mb, job.row.clean_cpu_s = median(job.times), median(peaks[id(job)]), median(cpus[id(job)])


def paired_ratio(first: CleanJob, second: CleanJob) -> float | None:
    """The median of the run-by-run ratios of two jobs' clean build times."""
    pairs = [a / b for a, b in zip(first.times, second.times) if b > 0]
    return statistics.median(pairs) if pairs else None


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def site_metrics(row: Row, site: Path) -> None:
    total = files = 0
    largest, largest_path = 0, ""
    for dirpath, _dirs, names in os.walk(site):
        for name in names:
            path = Path(dirpath, name)
            size = path.stat().st_size
            total += size
            files += 1
            if name.endswith(".html") and size > largest:
                largest, largest_path = size, path.relative_to(site).as_posix()
    row.output_bytes, row.files = total, files
    row.largest_page, row.largest_page_path = largest, largest_path
    row.search_bytes, row.search_kind = search_download(site)
    data = site / "data"
    row.open_data = {p.name: p.stat().st_size for p in sorted(data.iterdir()) if p.name != "index.html"} if data.is_dir() else {}


def search_download(site: Path) -> tuple[int | None, str]:
    """What a reader downloads to run one search, beyond the page itself."""
    pagefind = site / "pagefind"
    manifest = pagefind / "bundles.json"
    if manifest.is_file() or pagefind.is_dir():
        # As tests/test_search_index.py counts it: from the first bundle the UI and the
        # engine (script, worker and the language's WebAssembly); the manifest; from
        # every bundle the entry file and metadata, every filter file (the UI lists
        # filters) and the largest index chunk; and the five largest fragments (the
        # results shown first). The largest of each kind: an upper bound for one query.
        bundles = [pagefind / path for path in json.loads(manifest.read_text("utf-8"))] if manifest.is_file() else [pagefind]
        if not bundles:
            return manifest.stat().st_size, "Pagefind: nothing indexed"
        first = bundles[0]
        parts = [manifest] if manifest.is_file() else []
        parts += [first / name for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "pagefind-worker.js")]
        parts += sorted(first.glob("wasm.*.pagefind"), key=lambda p: p.stat().st_size)[-1:]
        fragments = []
        for bundle in bundles:
            parts += [bundle / "pagefind-entry.json", *bundle.glob("filter/*.pf_filter")]
            for pattern in ("pagefind.*.pf_meta", "index/*.pf_index"):
                parts += sorted(bundle.glob(pattern), key=lambda p: p.stat().st_size)[-1:]
            fragments += bundle.glob("fragment/*.pf_fragment")
        parts += sorted(fragments, key=lambda p: p.stat().st_size)[-5:]
        kind = f"Pagefind, {len(bundles)} bundle{'s' if len(bundles) > 1 else ''}: UI + engine + largest chunks + 5 results"
        return sum(p.stat().st_size for p in parts if p.exists()), kind
    index = site / "search" / "search_index.json"
    if index.exists():
        workers = list((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
        size = index.stat().st_size + sum(w.stat().st_size for w in workers)
        return size, "search_index.json + search worker"
    return None, "no search"


# ---------------------------------------------------------------- ours


PROJECT = REPO  # the briefings tree under test; --project changes it


def briefings_cmd() -> list[str]:
    script = Path(sys.executable).parent / "briefings"
    if PROJECT == REPO and script.exists():
        return [str(script)]
    return [sys.executable, "-m", "generator"]  # run from PROJECT, whose generator/ comes first on sys.path


def supports_clean_flag() -> bool:
    out = subprocess.run([*briefings_cmd(), "build", "--help"], capture_output=True, text=True, cwd=PROJECT).stdout
    return "--clean" in out


def ours_clean_job(corpus: Path, entries: int, work: Path) -> CleanJob:
    row = Row(OURS, entries)
    clean_flag = ["--clean"] if supports_clean_flag() else []
    if not clean_flag:
        row.notes.append("no --clean flag: clean build = empty site directory")
    return CleanJob(row, "briefings", [*_build_cmd(corpus, work), *clean_flag], [work / "site"], PROJECT, work / "briefings.log")


def _build_cmd(corpus: Path, work: Path) -> list[str]:
    return [*briefings_cmd(), "build", "--content", str(corpus / "content"), "--config", str(corpus / "site_config"),
            "--site-dir", str(work / "site"), "--mkdocs-config", str(PROJECT / "mkdocs.yml")]  # fmt: skip


def bench_ours(job: CleanJob, corpus: Path, runs: int, work: Path) -> Row:
    """What follows the clean builds: the site's measures, the check, warm rebuilds, serve."""
    row, entries = job.row, job.row.entries
    content, config, site = corpus / "content", corpus / "site_config", work / "site"
    log, base, build = job.log, briefings_cmd(), _build_cmd(corpus, work)
    site_metrics(row, site)
    checks = []
    for i in range(runs):
        seconds, _, _ = run_timed([*base, "check", "--content", str(content), "--config", str(config)], cwd=PROJECT, log=log)
        checks.append(seconds)
        say(f"  {OURS:<10} {entries:>6}  check        run {i + 1}/{runs}: {seconds:7.2f} s")
    row.check_s = median(checks)

    # Warm rebuilds: one entry added, one entry edited, each followed by a plain build.
    run_timed(build, cwd=PROJECT, log=log)  # a --clean build may leave no cache behind: warm it first, untimed
    adds, edits = [], []
    with ArchiveEdits(content, config) as change:
        for i in range(runs):
            change.add(i)
            seconds, _, _ = run_timed(build, cwd=PROJECT, log=log)
            adds.append(seconds)
            say(f"  {OURS:<10} {entries:>6}  +1 entry     run {i + 1}/{runs}: {seconds:7.2f} s")
            change.edit(f"Corrected in benchmark run {i + 1}.")
            seconds, _, _ = run_timed(build, cwd=PROJECT, log=log)
            edits.append(seconds)
            say(f"  {OURS:<10} {entries:>6}  edit 1 entry run {i + 1}/{runs}: {seconds:7.2f} s")
    row.add_s, row.edit_s = median(adds), median(edits)
    if supports_command("serve"):
        bench_serve(row, content, config, site, runs, log)
    else:
        row.notes.append("no serve command")
    return row


# Where ``make bench`` times builds with and without the open data (``open_data: false``).
OPEN_DATA_COST_AT = 20000


@dataclass(frozen=True)
class DataCost:
    """Medians of builds with the open data and without it, taking turns, and of their run-by-run ratios."""

    clean: tuple[float, float]
    clean_ratio: float
    rebuild: tuple[float, float]
    rebuild_ratio: float


def bench_open_data_cost(corpus: Path, entries: int, runs: int, work: Path, set_aside: "SetAside") -> DataCost:
    """The build time the open data adds: clean builds, then rebuilds after one edit, of the
    archive as it is and with ``open_data: false``, taking turns, each with a cache of its own."""
    without = work / "site_config-without-data"
    shutil.copytree(corpus / "site_config", without)
    with open(without / "settings.yml", "a", encoding="utf-8") as settings:
        settings.write("\nopen_data: false\n")
    builds = []
    for name, config in (("with data", corpus / "site_config"), ("no data", without)):
        out = work / name.replace(" ", "-")
        cmd = [*briefings_cmd(), "build", "--content", str(corpus / "content"), "--config", str(config),
               "--site-dir", str(out / "site"), "--cache-dir", str(out / "cache"), "--mkdocs-config", str(PROJECT / "mkdocs.yml")]  # fmt: skip
        builds.append((cmd, CleanJob(Row(OURS, entries), name, [*cmd, "--clean"], [out / "site"], PROJECT, work / "briefings.log")))
    clean_builds([job for _, job in builds], runs, set_aside)
    for cmd, _ in builds:
        run_timed(cmd, cwd=PROJECT, log=work / "briefings.log")  # a --clean build may leave no cache behind
    rebuilds: list[list[float]] = [[], []]
    with ArchiveEdits(corpus / "content", corpus / "site_config") as change:
        for i in range(runs):
            change.edit(f"Edited to time the open data, run {i + 1}.")
            # Each goes first after the edit in turn, so that whatever the first build
            # after an edit pays weighs on both alike.
            for (cmd, job), times in [*zip(builds, rebuilds)][:: 1 if i % 2 == 0 else -1]:
                seconds, _, _ = run_timed(cmd, cwd=PROJECT, log=work / "briefings.log")
                times.append(seconds)
                say(f"  {job.label:<10} {entries:>6}  edit 1 entry run {i + 1}/{runs}: {seconds:7.2f} s")
    (with_data, without_data), ratios = [job for _, job in builds], [a / b for a, b in zip(*rebuilds)]
    return DataCost(
        (statistics.median(with_data.times), statistics.median(without_data.times)),
        paired_ratio(with_data, without_data) or 0.0,
        (statistics.median(rebuilds[0]), statistics.median(rebuilds[1])),
        statistics.median(ratios),
    )


def supports_command(name: str) -> bool:
    out = subprocess.run([*briefings_cmd(), "--help"], capture_output=True, text=True, cwd=PROJECT).stdout
    return name in out


def bench_serve(row: Row, content: Path, config: Path, site: Path, runs: int, log: Path) -> None:
    """One entry added, then one edited, under ``briefings serve``: from the file's save to the
    day page served with the change, polled over HTTP every 50 ms. Each change waits until
    serve has finished the build before it (its caches saved), as a person saving by hand would."""
    cmd = [*briefings_cmd(), "serve", "--port", "0", "--content", str(content), "--config", str(config),
           "--site-dir", str(site), "--mkdocs-config", str(PROJECT / "mkdocs.yml")]  # fmt: skip
    with open(log, "ab") as out:
        out.write(("$ " + " ".join(cmd) + "\n").encode())
    process = subprocess.Popen(cmd, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    adds, edits = [], []
    try:
        with ArchiveEdits(content, config) as change:
            address = _served_address(process, log)
            for i in range(runs):
                before = _build_number(address)
                adds.append(_until_served(address, change.add(100 + i), content, f"benchmark run {101 + i}"))
                say(f"  {OURS:<10} {row.entries:>6}  serve +1     run {i + 1}/{runs}: {adds[-1]:7.2f} s")
                _settle(address, before)
                before = _build_number(address)
                marker = f"Served edit {i + 1}."
                edits.append(_until_served(address, change.edit(marker), content, marker))
                say(f"  {OURS:<10} {row.entries:>6}  serve edit   run {i + 1}/{runs}: {edits[-1]:7.2f} s")
                _settle(address, before)
    except BenchError as exc:
        row.notes.append(f"serve: {exc}")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    row.serve_add_s, row.serve_edit_s = median(adds), median(edits)


def _served_address(process: subprocess.Popen, log: Path) -> str:
    """Wait for serve's first build; its output goes to the log from then on, in a thread."""
    assert process.stdout is not None
    with open(log, "a") as out:
        for line in process.stdout:
            out.write(line)
            found = re.search(r" at (http://\S+/) ", line)
            if found:
                threading.Thread(target=shutil.copyfileobj, args=(process.stdout, open(log, "a")), daemon=True).start()
                return found.group(1)
    raise BenchError(f"serve ended (exit {process.wait()}) before it served the site")


def _until_served(address: str, path: Path, content: Path, text: str, timeout_s: float = 120) -> float:
    """Seconds from now (just after ``path`` was saved) until its day page, served, shows ``text``."""
    start = time.perf_counter()
    url = address + "/".join(path.relative_to(content).parts[:3]) + "/"
    while time.perf_counter() - start < timeout_s:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if text in response.read().decode("utf-8", "replace"):
                    return time.perf_counter() - start
        except OSError:
            pass  # a day page that does not exist yet
        time.sleep(0.05)
    raise BenchError(f"{url} did not show the change within {timeout_s:.0f} s")


def _build_number(address: str) -> int | None:
    """Which build serve has finished, from its status address (None: it has none)."""
    try:
        with urllib.request.urlopen(address + ".briefings/status", timeout=10) as response:
            return int(json.loads(response.read())["build"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _settle(address: str, before: int | None, timeout_s: float = 120) -> None:
    """Wait until serve has finished a build after the one numbered ``before``."""
    deadline = time.perf_counter() + timeout_s
    while before is not None and time.perf_counter() < deadline:
        number = _build_number(address)
        if number is None or number > before:
            return
        time.sleep(0.05)


class ArchiveEdits:
    """Entries added to a benchmark's archive and one entry edited in it, all undone on leaving."""

    def __init__(self, content: Path, config: Path) -> None:
        self.content, self.config = content, config
        files = sorted(content.rglob("*.md"))
        self.edited = files[len(files) // 2]
        self._original = self.edited.read_bytes()
        self._added: list[Path] = []

    def add(self, index: int) -> Path:
        self._added.append(added_entry(self.content, self.config, index))
        return self._added[-1]

    def edit(self, sentence: str) -> Path:
        self.edited.write_bytes(self._original.rstrip(b"\n") + f" {sentence}\n".encode())
        return self.edited

    def __enter__(self) -> "ArchiveEdits":
        return self

    def __exit__(self, *_: object) -> None:
        self.edited.write_bytes(self._original)
        for path in self._added:
            path.unlink(missing_ok=True)


def added_entry(content: Path, config: Path, index: int) -> Path:
    """A new entry on the archive's last day naming its busiest city and person."""
    last_day = max(p for p in content.glob("*/*/*") if p.is_dir())
    y, m, d = (int(part) for part in last_day.relative_to(content).parts)
    published = datetime(y, m, d, 23, 50 + index % 9, tzinfo=ZoneInfo(synthetic.TIMEZONE))
    city = _first_name(config / "cities.yml")
    person = _first_name(config / "people.yml")
    path = last_day / f"benchmark-added-entry-{index + 1}.md"
    path.write_text(
        "---\n"
        f'title: "{city} reports a late update, benchmark run {index + 1}"\n'
        f"published: {published.isoformat(timespec='seconds')}\n"
        f"cities: [{city}]\npeople: [{person}]\n"
        "sources:\n  - name: Briefing Desk\n    url: https://desk.example.org/\n"
        "---\n"
        f"In {city}, {person} said repairs teams worked through the night and power supply was restored.\n",
        encoding="utf-8",
    )
    return path


def _first_name(registry: Path) -> str:
    for line in registry.read_text(encoding="utf-8").splitlines():
        if line.startswith("- name: "):
            return line[len("- name: "):].strip().strip('"')
    raise BenchError(f"no name in {registry}")


# ---------------------------------------------------------------- Hugo


def ensure_hugo() -> tuple[str | None, str]:
    """The hugo executable, or None and why not."""
    found = shutil.which("hugo")
    if found:
        return found, ""
    if not shutil.which("apt-get"):
        return None, "hugo not installed and no apt-get"
    if os.geteuid() != 0:
        return None, "hugo not installed (install Debian's hugo package, or run as root)"
    say("  installing Debian's hugo package with apt-get ...")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "hugo"]):
        done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["failed"]
            return None, f"apt-get could not install hugo: {last[0]}"
    found = shutil.which("hugo")
    return (found, "") if found else (None, "apt-get ran but no hugo on PATH")


def version_of(cmd: list[str], cwd: Path | None = None) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=cwd)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr).strip() else "unknown"


HUGO_CONFIG = """\
baseURL = "https://briefings.example.org/"
title = "Synthetic Briefing Archive"
languageCode = "en"
contentDir = "{content}"
publishDir = "{public}"
disableKinds = ["sitemap", "robotsTXT"]

[taxonomies]
  city = "cities"
  person = "people"
  tag = "tags"

[frontmatter]
  date = ["published", ":default"]
  lastmod = ["updated", ":default"]

[services.rss]
  limit = 50
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
{{ with site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head>
<body>
<nav><a href="{{ "/" | relURL }}">Latest</a> <a href="{{ "/cities/" | relURL }}">Cities</a> <a href="{{ "/people/" | relURL }}">People</a></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2 January 2006 15:04" }}</time>
{{ if ne .Lastmod .Date }} · Updated {{ .Lastmod.Format "15:04" }}{{ end }}</p>
<p>{{ range .GetTerms "cities" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "people" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
<ul>{{ range .Params.sources }}<li><a href="{{ .url }}">{{ .name }}</a></li>{{ end }}</ul>
</article>
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .RegularPagesRecursive.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02 15:04" }}</time></li>{{ end }}</ul>
{{ end }}
""",
    "index.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ul>{{ range first 50 (where site.RegularPages.ByDate.Reverse "Type" "!=" "page") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02 15:04" }}</time></li>{{ end }}</ul>
{{ end }}
""",
    "_default/taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "_default/term.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ range .Pages.GroupByDate "2006-01-02" }}
<h2>{{ .Key }}</h2>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "15:04" }}</time><p>{{ .Summary }}</p></li>{{ end }}</ul>
{{ end }}
{{ end }}
""",
}


def hugo_clean_job(hugo: str, corpus: Path, entries: int, work: Path) -> CleanJob:
    project, public, cache = work / "hugo-site", work / "hugo-public", work / "hugo-cache"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    (project / "config.toml").write_text(
        HUGO_CONFIG.format(content=(corpus / "content").resolve(), public=public.resolve()), encoding="utf-8"
    )
    for name, text in HUGO_LAYOUTS.items():
        path = project / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    cmd = [hugo, "--quiet", "--source", str(project), "--cacheDir", str(cache.resolve())]
    return CleanJob(Row(HUGO, entries), "Hugo", cmd, [public, cache, project / "resources"], project, work / "hugo.log")


def bench_hugo(job: CleanJob, set_aside: SetAside) -> Row:
    public = job.remove[0]
    site_metrics(job.row, public)
    set_aside(public)
    return job.row


# ---------------------------------------------------------------- mkdocs-material blog plugin


def ensure_bench_venv() -> tuple[Path | None, bool, str]:
    """(mkdocs executable, has the RSS plugin, why not) from .cache/bench-venv."""
    requirements = REQUIREMENTS.read_text(encoding="utf-8")
    stamp = BENCH_VENV / ".requirements.sha256"
    digest = hashlib.sha256(requirements.encode()).hexdigest()
    mkdocs = BENCH_VENV / "bin" / "mkdocs"
    python = BENCH_VENV / "bin" / "python"
    if not (stamp.exists() and stamp.read_text().startswith(digest)):
        say(f"  installing the pinned peers into {BENCH_VENV.relative_to(REPO)} ...")
        shutil.rmtree(BENCH_VENV, ignore_errors=True)
        BENCH_VENV.parent.mkdir(parents=True, exist_ok=True)
        made = subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], capture_output=True, text=True)
        if made.returncode != 0:
            return None, False, "could not create .cache/bench-venv: " + _last_line(made)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        done = subprocess.run([*pip, "-r", str(REQUIREMENTS)], capture_output=True, text=True)
        rss = "rss"
        if done.returncode != 0:
            # Go on without mkdocs-rss-plugin: keep the lines before the optional section.
            core = requirements.split(OPTIONAL_MARK, 1)[0]
            core_file = BENCH_VENV / "requirements-core.txt"
            core_file.write_text(core, encoding="utf-8")
            done = subprocess.run([*pip, "-r", str(core_file)], capture_output=True, text=True)
            if done.returncode != 0:
                return None, False, "pip could not install mkdocs-material: " + _last_line(done)
            rss = "no-rss"
        stamp.write_text(f"{digest} {rss}\n")
    has_rss = stamp.read_text().split()[-1] == "rss"
    return (mkdocs if mkdocs.exists() else None), has_rss, ("" if mkdocs.exists() else "no mkdocs in the bench venv")


def _last_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = (done.stderr or done.stdout or "failed").strip().splitlines()
    return lines[-1] if lines else "failed"


BLOG_MKDOCS = """\
site_name: Synthetic Briefing Archive
site_url: https://briefings.example.org/
docs_dir: docs
site_dir: {site}
theme:
  name: material
  features:
    - navigation.tabs
plugins:
  - search
  - blog:
      post_url_format: "{{date}}/{{slug}}"
{rss}"""

BLOG_RSS = """\
  - rss:
      match_path: blog/posts/.*
      use_git: false
      date_from_meta:
        as_creation: date.created
        as_update: date.updated
      categories:
        - categories
      length: 50
"""


def convert_to_blog(corpus: Path, project: Path, has_rss: bool, site: Path) -> None:
    """The corpus as blog posts: docs/blog/posts/<date>-<slug>.md with date and categories."""
    import yaml

    shutil.rmtree(project, ignore_errors=True)
    posts = project / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Synthetic Briefing Archive\n\nSee the [blog](blog/index.md).\n")
    (project / "docs" / "blog" / "index.md").write_text("# Blog\n")
    (project / "mkdocs.yml").write_text(
        BLOG_MKDOCS.format(site=site.resolve(), rss=BLOG_RSS if has_rss else ""), encoding="utf-8"
    )
    canonical = _aliases(corpus / "site_config" / "cities.yml") | _aliases(corpus / "site_config" / "people.yml")
    for path in sorted((corpus / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        created = _iso(meta["published"])
        dates = f"  created: {created}\n" + (f"  updated: {_iso(meta['updated'])}\n" if meta.get("updated") else "")
        categories = [canonical.get(n, n) for n in (meta.get("cities") or []) + (meta.get("people") or [])]
        paragraphs = body.strip().split("\n\n")
        post_body = paragraphs[0] + "\n\n<!-- more -->\n\n" + "\n\n".join(paragraphs[1:]) + "\n"
        day = created[:10]
        lines = ["---", "date:", dates.rstrip("\n"), f"slug: {path.stem}"]
        if categories:
            lines.append("categories:")
            lines.extend(f'  - "{c}"' for c in categories)
        lines.append("---")
        title = str(meta["title"]).replace("\n", " ")
        (posts / f"{day}-{path.stem}.md").write_text("\n".join(lines) + f"\n\n# {title}\n\n" + post_body, encoding="utf-8")


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, (datetime, date)) else str(value)


def _aliases(registry: Path) -> dict[str, str]:
    import yaml

    out: dict[str, str] = {}
    for item in yaml.safe_load(registry.read_text(encoding="utf-8")) or []:
        for alias in item.get("aliases") or []:
            out[alias] = item["name"]
    return out


def bench_blog(mkdocs: Path, has_rss: bool, corpus: Path, entries: int, runs: int, work: Path, set_aside: SetAside) -> Row:
    row = Row(BLOG, entries)
    project, site = work / "blog-site", work / "blog-public"
    convert_to_blog(corpus, project, has_rss, site)
    if not has_rss:
        row.notes.append("without mkdocs-rss-plugin (could not be installed)")
    cmd = [str(mkdocs), "build", "--quiet", "-f", str(project / "mkdocs.yml")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    clean_builds([CleanJob(row, "blog", cmd, [site, project / ".cache"], project, work / "blog.log", env)], runs, set_aside)
    site_metrics(row, site)
    set_aside(site)
    return row


# ---------------------------------------------------------------- report


def _mb(value: float | None) -> str:
    return f"{value:6.0f} MB" if value is not None else ""


def _s(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "–"


def _size(value: int | None, unit: int, digits: int = 1) -> str:
    return f"{value / unit:.{digits}f}" if value is not None else "–"


def table(rows: list[Row]) -> list[str]:
    out = [
        "| build | entries | clean build (s) | CPU (s) | peak memory (MB) | +1 entry (s) | edit 1 (s) "
        "| +1 entry, serve (s) | edit 1, serve (s) | check (s) | output (MB) | files | largest page (KB) "
        "| search download (KB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.skipped:
            out.append(f"| {r.tool} | {r.entries} | skipped: {r.skipped} | | | | | | | | | | | |")
            continue
        search = _size(r.search_bytes, 1024) if r.search_bytes is not None else "none"
        peak = f"{r.peak_mb:.0f}" if r.peak_mb is not None else "–"
        out.append(
            f"| {r.tool} | {r.entries} | {_s(r.clean_s)} | {_s(r.clean_cpu_s)} | {peak} | {_s(r.add_s)} "
            f"| {_s(r.edit_s)} | {_s(r.serve_add_s)} | {_s(r.serve_edit_s)} | {_s(r.check_s)} | {_size(r.output_bytes, MB)} | {r.files if r.files is not None else '–'} "
            f"| {_size(r.largest_page, 1024)} | {search} |"
        )
    return out


def ratios(rows: list[Row]) -> list[str]:
    by = {(r.tool, r.entries): r for r in rows if not r.skipped and r.clean_s}
    sizes = sorted({r.entries for r in rows})
    out: list[str] = []
    for n in sizes:
        ours, hugo = by.get((OURS, n)), by.get((HUGO, n))
        if ours and hugo:
            ratio = ours.hugo_ratio if ours.hugo_ratio is not None else ours.clean_s / hugo.clean_s
            how = ", the median of run-by-run ratios" if ours.hugo_ratio is not None else ""
            target = TARGETS.get(n)
            aim = f" (target: at most {target.hugo_ratio:.1f}x){_verdict(ratio <= target.hugo_ratio)}" if target else ""
            out.append(f"- clean build, ours / Hugo at {n}: {ratio:.2f}x{how}{aim}")
    blog_sizes = [n for n in sizes if (BLOG, n) in by and (OURS, n) in by]
    if blog_sizes:
        n = max(blog_sizes)
        speedup = by[(BLOG, n)].clean_s / by[(OURS, n)].clean_s
        out.append(f"- clean build, blog plugin / ours at {n}: ours is {speedup:.1f}x faster "
                   f"(target: at least {TARGET_BLOG_SPEEDUP:.0f}x){_verdict(speedup >= TARGET_BLOG_SPEEDUP)}")
    ours_sizes = [n for n in sizes if (OURS, n) in by]
    for (big, small), most in GROWTH.items():
        if big in ours_sizes and small in ours_sizes:
            growth = by[(OURS, big)].clean_s / by[(OURS, small)].clean_s
            out.append(f"- growth, ours {big // 1000}k / {small // 1000}k clean build: {growth:.2f}x "
                       f"(target: at most {most}x){_verdict(growth <= most)}")
    for n in ours_sizes:
        if n in TARGETS or n == max(ours_sizes):
            out += _size_lines(by[(OURS, n)], TARGETS.get(n))
    return out


def _size_lines(top: Row, target: Targets | None) -> list[str]:
    """Rebuilds, memory, page and search sizes at one size, against its targets where it has some."""
    n, out = top.entries, []

    def aim(text: str, ok: bool) -> str:
        return f" (target: {text}){_verdict(ok)}" if target else ""

    if top.add_s is not None and top.edit_s is not None:
        worst = max(top.add_s, top.edit_s)
        out.append(f"- one entry added / edited at {n}: {top.add_s:.2f} s / {top.edit_s:.2f} s"
                   + aim(f"at most {target.rebuild_s:.0f} s", target is not None and worst <= target.rebuild_s))
    if top.serve_add_s is not None and top.serve_edit_s is not None:
        worst = max(top.serve_add_s, top.serve_edit_s)
        out.append(f"- one entry added / edited at {n} under briefings serve, file saved to page served: "
                   f"{top.serve_add_s:.2f} s / {top.serve_edit_s:.2f} s"
                   + aim(f"at most {target.serve_s:.0f} s", target is not None and worst <= target.serve_s))
    if top.peak_mb is not None:
        out.append(f"- peak memory at {n}: {top.peak_mb:.0f} MB"
                   + aim(f"at most {target.peak_mb:.0f} MB", target is not None and top.peak_mb <= target.peak_mb))
    if top.largest_page is not None:
        out.append(f"- largest page at {n}: {top.largest_page / 1024:.0f} KB, {top.largest_page_path} "
                   f"(target: at most 1 MB){_verdict(top.largest_page <= TARGET_PAGE_BYTES)}")
    if top.search_bytes is not None:
        out.append(f"- search download at {n}: {top.search_bytes / 1024:.0f} KB, {top.search_kind} "
                   f"(target: at most 1 MB){_verdict(top.search_bytes <= TARGET_SEARCH_BYTES)}")
    if top.open_data:
        files = ", ".join(f"{name} {size / MB:.1f}" for name, size in top.open_data.items())
        out.append(f"- open data at {n} (MB, within the output): {files}; {sum(top.open_data.values()) / MB:.1f} in all")
    cost = top.open_data_cost
    if cost is not None:
        out.append(f"- build time the open data adds at {n}, with it / with `open_data: false` (taking turns, medians): "
                   f"clean build {cost.clean[0]:.2f} s / {cost.clean[1]:.2f} s ({cost.clean_ratio:.2f}x), "
                   f"rebuild after one edit {cost.rebuild[0]:.2f} s / {cost.rebuild[1]:.2f} s ({cost.rebuild_ratio:.2f}x)")
    return out


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def _verdict(ok: bool) -> str:
    return " — met" if ok else " — not met"


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB memory"
    except OSError:
        pass
    system = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                system = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return [f"{cpu}, {os.cpu_count()} cores{memory}; {system}; Python {platform.python_version()}"]


def report(rows: list[Row], args: argparse.Namespace, versions: list[str], loads: list[float]) -> str:
    notes = [f"- {r.tool} at {r.entries}: {note}" for r in rows for note in r.notes]
    cores = os.cpu_count() or 1
    load = f"Load average (1 min) at start and end: {loads[0]:.1f} and {loads[-1]:.1f}"
    if max(loads) > cores:
        load += (f", above the {cores} cores: other work shared the machine, so wall times are inflated "
                 "(the CPU column is steadier)")
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`tests/bench/bench.py --sizes {','.join(map(str, args.sizes))} --runs {args.runs}`) "
        f"on {time.strftime('%Y-%m-%d')}.",
        "",
        "Machine: " + machine()[0] + ".",
        "",
        load + ".",
        "",
        "Versions: " + "; ".join(versions) + ".",
        "",
        f"One synthetic archive per size (`python -m generator.synthetic OUT --entries N --seed {args.seed}`: about "
        f"{synthetic.PER_DAY} entries a day, {BUSY_PER_DAY} from {BUSY_FROM:,} entries with `--per-day {BUSY_PER_DAY}`, 60 cities and 120 people drawn Zipf-like, 120-200 words each). Times are wall-clock medians "
        f"of {args.runs} run(s); briefings' and Hugo's clean builds take turns, run by run, and their ratio is the "
        "median of the run-by-run ratios, so that the machine's drift in speed cancels out. Before each clean build "
        "the tool's previous output is moved aside, not deleted (some disks make files slowly right after many were "
        "deleted). Peak memory is the "
        "maximum resident set size of the build process. \"+1 entry\" and "
        "\"edit 1\" time a second `briefings build` after adding or editing one entry; the \"serve\" columns time the "
        "same under one running `briefings serve`, from the file's save until the day page it serves shows the change; "
        "\"search download\" is what a "
        "reader fetches to run one search (MkDocs search: the whole index plus its worker; Pagefind: its fixed files "
        "plus the largest index chunk).",
        "",
        *table(rows),
        "",
        "Ratios and targets:",
        "",
        *(ratios(rows) or ["- (not enough rows for ratios)"]),
    ]
    if notes:
        lines += ["", "Notes:", "", *notes]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- importing

TARGET_IMPORT_S = 30.0  # importing 20,000 updates from local files
TARGET_REIMPORT_S = 10.0  # importing them again, unchanged


@dataclass
class ImportRow:
    updates: int
    pages: int = 0
    first_s: float | None = None
    first_cpu_s: float | None = None
    again_s: float | None = None
    again_cpu_s: float | None = None
    peak_mb: float | None = None
    skipped: str | None = None


def live_blog_pages(corpus: Path, out: Path) -> int:
    """The synthetic archive as a publisher's live blog: one page a day with schema.org
    LiveBlogPosting JSON-LD and each update's element, as `briefings import` finds them
    on the web. Returns the number of updates written."""
    import frontmatter

    from generator.markup import MarkdownRenderer, plain_text
    from generator.structured_data import script_json

    renderer, days = MarkdownRenderer(), {}
    for path in sorted((corpus / "content").rglob("*.md")):
        post = frontmatter.loads(path.read_text("utf-8"))
        days.setdefault(path.parent.relative_to(corpus / "content").as_posix(), []).append((path.stem, post))
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for day, posts in sorted(days.items()):
        page = f"https://wire.example.net/live/{day.replace('/', '-')}"
        updates, elements = [], []
        for slug, post in posts:
            html = renderer.render(post.content)
            update = {"@type": "BlogPosting", "headline": post["title"], "datePublished": _iso(post["published"]),
                      "url": f"{page}#{slug}", "articleBody": plain_text(html)}  # fmt: skip
            if post.get("updated"):
                update["dateModified"] = _iso(post["updated"])
            updates.append(update)
            elements.append(f'<article id="{slug}" class="update"><h2>{post["title"]}</h2><div class="update__body">{html}</div></article>')
        data = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "url": page, "headline": f"Live: {day}",
                "publisher": {"@type": "Organization", "name": "Regional Wire"}, "liveBlogUpdate": updates}  # fmt: skip
        (out / f"{day.replace('/', '-')}.html").write_text(
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="canonical" href="{page}">'
            f'<script type="application/ld+json">{script_json(data)}</script></head><body>{"".join(elements)}</body></html>\n',
            "utf-8",
        )
        count += len(posts)
    return count


def bench_import(updates: int, runs: int, seed: int, work: Path) -> ImportRow:
    """Medians of importing ``updates`` updates into an empty archive, and of importing them again."""
    row = ImportRow(updates)
    corpus, pages = work / "corpus", work / "pages"
    synthetic.generate(corpus, updates, seed)
    row.updates = live_blog_pages(corpus, pages)
    row.pages = len(list(pages.glob("*.html")))
    config = corpus / "site_config"
    firsts, agains = [], []
    for run in range(runs):
        content = work / f"imported-{run}"
        cmd = [*briefings_cmd(), "import", str(pages), "--content", str(content), "--config", str(config)]
        try:
            firsts.append(run_timed(cmd, cwd=PROJECT, log=work / "import.log"))
            agains.append(run_timed(cmd, cwd=PROJECT, log=work / "import.log"))
        except BenchError as exc:
            row.skipped = f"failed: {exc}"
            return row
        if run == 0:
            imported = sum(1 for _ in content.rglob("*.md"))
            if imported != row.updates:
                row.skipped = f"imported {imported} of {row.updates} updates"
                return row
    row.first_s, row.first_cpu_s = median([t for t, _, _ in firsts]), median([c for _, _, c in firsts])
    row.again_s, row.again_cpu_s = median([t for t, _, _ in agains]), median([c for _, _, c in agains])
    row.peak_mb = max((p for _, p, _ in firsts + agains if p is not None), default=None)
    return row


def import_lines(row: ImportRow, runs: int) -> list[str]:
    lines = ["", "## Importing", "",
             f"`briefings import` of the synthetic archive's updates published as a live blog: {row.pages} pages "
             "(one a day) with schema.org LiveBlogPosting JSON-LD and each update's element, read from local files "
             f"into an empty content folder, then imported again unchanged; medians of {runs} run(s).", ""]  # fmt: skip
    if row.skipped:
        return lines + [f"- skipped: {row.skipped}"]
    lines += [
        "| updates | import (s) | CPU (s) | again, unchanged (s) | CPU (s) | peak memory (MB) |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {row.updates} | {_s(row.first_s)} | {_s(row.first_cpu_s)} | {_s(row.again_s)} | {_s(row.again_cpu_s)} | {_mb(row.peak_mb)} |",
        "",
    ]
    if row.updates >= 20000:
        lines.append(f"- import of {row.updates} updates within {TARGET_IMPORT_S:.0f} s{_verdict(row.first_s is not None and row.first_s <= TARGET_IMPORT_S)}")
        lines.append(f"- again, unchanged, within {TARGET_REIMPORT_S:.0f} s{_verdict(row.again_s is not None and row.again_s <= TARGET_REIMPORT_S)}")
    return lines


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark briefings against Hugo and mkdocs-material's blog plugin.")
    parser.add_argument("--sizes", default="1000,5000,20000,100000", help="comma-separated entry counts (default: 1000,5000,20000,100000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are reported (default: 3)")
    parser.add_argument("--seed", type=int, default=1, help="synthetic archive seed (default: 1)")
    parser.add_argument("--blog-max", type=int, default=5000, help="largest size built with the blog plugin (default: 5000)")
    parser.add_argument("--no-hugo", action="store_true", help="leave Hugo out")
    parser.add_argument("--no-blog", action="store_true", help="leave the blog plugin out")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "briefings-bench",
                        help="scratch space for corpora and sites (default: $TMPDIR/briefings-bench)")
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "results.md", help="where to write the table (default: tests/bench/results.md)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory afterwards")
    parser.add_argument("--import-updates", type=int, default=20000,
                        help="updates in the import benchmark; 0 leaves it out (default: 20000)")
    parser.add_argument("--project", type=Path, default=REPO,
                        help="the briefings source tree to measure, e.g. an exported older version (default: this one)")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes comma-separated integers, like 1000,5000")
    if not args.sizes or min(args.sizes) < 1 or args.runs < 1:
        parser.error("sizes and runs must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    global PROJECT
    args = parse_args(argv)
    PROJECT = args.project.resolve()
    work_root = args.workdir.resolve()
    earlier = work_root.with_name(work_root.name + ".earlier")  # an earlier run's, deleted at the end (SetAside)
    if work_root.exists():
        shutil.rmtree(earlier, ignore_errors=True)
        work_root.rename(earlier)
    work_root.mkdir(parents=True)
    say(f"benchmark: sizes {', '.join(map(str, args.sizes))}; {args.runs} run(s) each; work in {work_root}")
    loads = [_load()]
    if loads[0] > (os.cpu_count() or 1):
        say(f"  note: load average {loads[0]:.1f} on {os.cpu_count()} cores; wall times will be inflated")

    versions = [version_of([*briefings_cmd(), "--version"], cwd=PROJECT)]
    hugo, hugo_why = (None, "left out (--no-hugo)") if args.no_hugo else ensure_hugo()
    if hugo:
        versions.append(version_of([hugo, "version"]).split(" BuildDate")[0])
    mkdocs, has_rss, blog_why = None, False, "left out (--no-blog)"
    if not args.no_blog and any(n <= args.blog_max for n in args.sizes):
        mkdocs, has_rss, blog_why = ensure_bench_venv()
        if mkdocs:
            peers = ["mkdocs-material", "mkdocs-rss-plugin"] if has_rss else ["mkdocs-material"]
            code = f"from importlib.metadata import version; print(' + '.join(n + ' ' + version(n) for n in {peers!r}))"
            versions.append(version_of([str(BENCH_VENV / "bin" / "python"), "-c", code]))

    rows: list[Row] = []
    set_aside = SetAside(work_root / "set-aside")
    for n in args.sizes:
        work = work_root / f"n{n}"
        corpus = work / "corpus"
        work.mkdir()
        start = time.perf_counter()
        summary = synthetic.generate(corpus, n, args.seed, per_day=per_day(n))
        say(f"\n{n} entries on {summary.days} days, generated in {time.perf_counter() - start:.1f} s")
        jobs = [ours_clean_job(corpus, n, work)]
        if hugo:
            jobs.append(hugo_clean_job(hugo, corpus, n, work))
        try:
            clean_builds(jobs, args.runs, set_aside)
        except BenchError as exc:
            for job in jobs:
                job.row.skipped = job.row.skipped or f"failed: {exc}"
        if len(jobs) == 2 and not any(job.row.skipped for job in jobs):
            jobs[0].row.hugo_ratio = paired_ratio(jobs[0], jobs[1])
        try:
            rows.append(jobs[0].row if jobs[0].row.skipped else bench_ours(jobs[0], corpus, args.runs, work))
        except BenchError as exc:
            rows.append(Row(OURS, n, skipped=f"failed: {exc}"))
        if n == OPEN_DATA_COST_AT and not rows[-1].skipped:
            try:
                rows[-1].open_data_cost = bench_open_data_cost(corpus, n, args.runs, work, set_aside)
            except BenchError as exc:
                rows[-1].notes.append(f"the open data's cost was not measured: {exc}")
        if hugo:
            rows.append(jobs[1].row if jobs[1].row.skipped else bench_hugo(jobs[1], set_aside))
        else:
            rows.append(Row(HUGO, n, skipped=hugo_why))
        if n <= args.blog_max:
            if mkdocs:
                try:
                    rows.append(bench_blog(mkdocs, has_rss, corpus, n, args.runs, work, set_aside))
                except BenchError as exc:
                    rows.append(Row(BLOG, n, skipped=f"failed: {exc}"))
            else:
                rows.append(Row(BLOG, n, skipped=blog_why))
        if not args.keep:
            set_aside(work)
    import_row = None
    if args.import_updates > 0:
        say(f"\nimport: {args.import_updates} updates")
        (work_root / "import").mkdir()
        import_row = bench_import(args.import_updates, args.runs, args.seed, work_root / "import")
    shutil.rmtree(set_aside.root, ignore_errors=True)
    shutil.rmtree(earlier, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(work_root, ignore_errors=True)

    loads.append(_load())
    text = report(rows, args, versions, loads)
    if import_row is not None:
        text += "\n".join(import_lines(import_row, args.runs)) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    say("\n" + text)
    say(f"written to {args.output}")
    return 0 if all(not r.skipped for r in rows if r.tool == OURS) else 1


if __name__ == "__main__":
    sys.exit(main())
