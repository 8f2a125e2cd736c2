"""The ``briefings`` command line: the only place that formats errors for people.

Exit codes: 0 success, 1 invalid content or a failed build, 2 bad usage, 130 interrupted (Ctrl+C).
"""

from __future__ import annotations

import argparse
import errno
import gc
import logging
import os
import re
import shutil
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, NoReturn, Sequence

from . import __version__, hosting, interrupts, progress
from .problems import BriefingsError, ContentError, Problem, Severity
from .wording import counted

if TYPE_CHECKING:
    from .importing.report import ImportReport, SourceReport
    from .site import GeneratedSite

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        interrupts.listen()
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("briefings: interrupted; the site directory was left as it was", file=sys.stderr)
        return 130


def run() -> NoReturn:
    """The ``briefings`` program: ``main`` as a short-lived process.

    A build holds hundreds of thousands of long-lived objects (the archive and
    its pages) and makes almost no reference cycles: the cycle collector would
    rescan them again and again for nothing (a twentieth of a 20,000-entry
    rebuild, at the same peak memory without it). ``serve`` runs for hours: it
    collects them while it waits for changes (``serve._wait_for_change``). Freeing the objects one by one at exit takes most of a
    second more and returns nothing the end of the process would not.
    """
    gc.disable()
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefings",
        description="Build and check an archive of live briefings.",
    )
    parser.add_argument("--version", action="version", version=f"briefings {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into the site directory")
    _content_options(build)
    _site_options(build)
    build.add_argument("--clean", action="store_true", help="build without reading the cache")
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="build, serve the site on this machine and rebuild after every change")
    _content_options(serve)
    _site_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="the port to listen on; 0 picks a free one (default: 8000)")
    serve.set_defaults(run=_serve)

    check = commands.add_parser("check", help="check content and configuration without building")
    _content_options(check)
    check.add_argument(
        "files", nargs="*", type=Path, metavar="FILE",
        help="check only these entries (a folder: every entry in it), with the rest of the archive as context"
    )
    check.add_argument(
        "--format", choices=("text", "github"), default="text", help="'github' prints GitHub Actions annotations"
    )
    check.add_argument(
        "--since", metavar="REVISION",
        help="a Git revision (main, HEAD^1): warn about updates published then whose text changed since with no correction",
    )  # fmt: skip
    check.set_defaults(run=_check)

    new = commands.add_parser("new", help="start a new entry file with its front matter filled in")
    new.add_argument("title", help="the headline, in quotes")
    for option, kind in (("--city", "city"), ("--person", "person")):
        new.add_argument(option, action="append", default=[], metavar="NAME", help=f"a {kind} the entry is about (repeatable)")
    new.add_argument(
        "--at",
        metavar="ISO-TIME",
        help="publication time: 2022-03-03T09:40 is in the site's time zone, 2022-03-03T09:40+02:00 "
        "is that moment (default: now)",
    )
    new.add_argument("--key", action="store_true", help="mark the entry as a key event of the day")
    new.add_argument("--author", metavar="NAME", help="who wrote the update, shown as its byline")
    new.add_argument("--content", type=Path, default=Path("content"), help="the entries (default: content/)")
    new.add_argument("--config", type=Path, default=Path("site_config"), help="settings and registries")
    new.set_defaults(run=_new)

    _import_command(commands)

    schema = commands.add_parser("schema", help="write the front-matter JSON Schema for editors into the config folder")
    schema.add_argument("--config", type=Path, default=Path("site_config"), help="where entry.schema.json goes")
    schema.add_argument("--check", action="store_true", help="only say whether the copy is up to date (exit 1 if not)")
    schema.set_defaults(run=_schema)

    export = commands.add_parser("export", help="write the archive's open data, as the site's data/ folder holds it, to a file")
    export.add_argument(
        "--format", default="ndjson", choices=("ndjson", "csv", "sqlite", "geojson"), help="the file to write (default: ndjson)"
    )
    export.add_argument(
        "--output", type=Path, metavar="FILE",
        help="where to write it; '-' for standard output (default: its name in data/, such as entries.csv, here)",
    )  # fmt: skip
    _content_options(export)
    export.set_defaults(run=_export)
    return parser


def _import_command(commands: argparse._SubParsersAction) -> None:
    from .importing import FORMATS

    command = commands.add_parser("import", help="import live blogs (pages, feeds, APIs' responses) as entries")
    command.add_argument("sources", nargs="+", metavar="SOURCE", help="a file, a folder of files, or an http(s):// URL")
    command.add_argument("--content", type=Path, default=Path("content"), help="where entries go (default: content/)")
    command.add_argument("--config", type=Path, default=Path("site_config"), help="settings and registries (default: site_config/)")
    command.add_argument("--format", choices=FORMATS, help="read every source in this format (default: told from the content)")
    command.add_argument("--dry-run", action="store_true", help="say what would change, and write nothing")
    command.add_argument("--refresh", action="store_true", help="rewrite imported entries even if their source did not change them (not those edited here)")
    command.add_argument("--source-url", metavar="URL", default="", help="where the files were published, for files that do not say it (a Telegram channel's https://t.me/NAME)")
    command.set_defaults(run=_import)


def _content_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", type=Path, default=Path("content"), help="the entries (default: content/)")
    command.add_argument("--config", type=Path, default=Path("site_config"), help="settings and registries (default: site_config/)")
    command.add_argument("--strict", action="store_true", help="treat warnings as errors")


def _site_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--site-dir", type=Path, default=Path("site"), help="where to write the site (default: site/)")
    command.add_argument("--mkdocs-config", type=Path, default=Path("mkdocs.yml"), help="the MkDocs configuration (default: mkdocs.yml)")
    command.add_argument(
        "--cache-dir", type=Path, default=Path(".cache/briefings"),
        help="where read entries are kept between builds (default: .cache/briefings/)",
    )  # fmt: skip
    command.add_argument("--verbose", action="store_true", help="list every warning, not the first few of each kind")


def _check(args: argparse.Namespace) -> int:
    from .checking import check_archive, check_files
    from .revisions import RevisionError

    try:
        if args.files:
            report = check_files(args.files, args.content, args.config, strict=args.strict, since=args.since)
        else:
            report = check_archive(args.content, args.config, strict=args.strict, since=args.since)
    except ContentError as exc:
        return _report(exc.problems, args.format)
    except RevisionError as exc:
        print(f"briefings: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _report(report.problems, args.format)
    if report.days is None:
        print(f"ok: {counted(report.entries, 'file')} checked", file=sys.stderr)
    else:
        print(f"ok: {counted(report.entries, 'entry')} on {counted(report.days, 'day')}", file=sys.stderr)
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from . import new_entry
    from .problems import ProblemLog
    from .registry import KINDS, load_registry
    from .settings import load_settings

    log = ProblemLog()
    settings = load_settings(args.config, log)
    registries = {kind: load_registry(args.config, kind, log) for kind in KINDS}
    if settings is None or log.has_errors():
        _report(log.problems)
        return EXIT_INVALID
    try:
        at = new_entry.parse_time(args.at, settings.zone)
        names = new_entry.NameResolver(registries, args.config)
        entry = new_entry.plan(args.title, args.city, args.person, at.moment, args.key, names, args.author, settings.language)
        path = new_entry.write(args.content, entry)
    except (new_entry.EntryExistsError, OSError) as exc:
        print(f"briefings: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except new_entry.NewEntryError as exc:  # what was asked for cannot be an entry: bad usage
        print(f"briefings: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for warning in at.warnings + entry.warnings:
        print(f"briefings: warning: {warning}", file=sys.stderr)
    print(path)
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from .importing.errors import ImportSetupError
    from .importing.run import ImportOptions, run_import

    options = ImportOptions(tuple(args.sources), args.content, args.config, args.format, args.dry_run, args.refresh, args.source_url)
    try:
        report = run_import(options)
    except ContentError as exc:
        return _report(exc.problems)
    except ImportSetupError as exc:
        print(f"briefings: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"briefings: error: {exc}; the files written before it are in place", file=sys.stderr)
        return EXIT_INVALID
    _print_import(report)
    return EXIT_INVALID if report.failed else EXIT_OK


def _print_import(report: ImportReport) -> None:
    """The files changed on stdout, one per line; per source, what happened and why, on stderr."""
    for source in report.sources:
        for kind in ("new", "updated", "withdrawn"):
            for change in getattr(source, kind):
                moved = f" (moved from {change.moved_from})" if change.moved_from else ""
                print(f"{kind}: {change.rel_path}{moved}{f' ({change.reason})' if change.reason else ''}")
    for source in report.sources:
        for error in source.errors:
            print(f"{error.place}: error: {error.message}", file=sys.stderr)
        for line in source.warnings:
            print(line, file=sys.stderr)
        for skipped in source.skipped:
            print(f"{source.label}: skipped {skipped.place}: {skipped.reason}", file=sys.stderr)
        for conflict in source.conflicts:
            print(f"{source.label}: conflict {conflict.place}: {conflict.rel_path} was edited here, and its update upstream, "
                  f"since it was imported; it is left as edited here. To keep it so, set its line 'digest: {conflict.keep}'; "
                  "to take the source's version instead, delete the file and import again", file=sys.stderr)  # fmt: skip
        print(f"{source.label}: {_import_counts(source)}", file=sys.stderr)
    for warning in report.warnings:
        print(f"{warning}", file=sys.stderr)
    if report.suggestions:
        print("names that no registry knows (add the cities and people among them to the registries, "
              "then import again with --refresh):", file=sys.stderr)  # fmt: skip
        for suggestion in report.suggestions[:20]:
            place = ", named as a place" if suggestion.maybe_city else ""
            print(f"  {suggestion.name}: {counted(suggestion.updates, 'update')}{place}", file=sys.stderr)
        if len(report.suggestions) > 20:
            print(f"  and {len(report.suggestions) - 20} more", file=sys.stderr)
    totals = _counts(report.totals)
    failed = f"; {counted(len(report.failed), 'source')} with errors" if report.failed else ""
    done = "dry run, nothing written: would import" if report.dry_run else "imported"
    print(f"{done} {counted(len(report.sources), 'source')}: {totals}{failed}", file=sys.stderr)


def _counts(totals: dict[str, int]) -> str:
    """The counts of a summary line ("1 new, 0 updated, 3 unchanged, 0 withdrawn, 0 skipped"), and the conflicts if any."""
    shown = [f"{count} {kind}" for kind, count in totals.items() if kind != "conflicts"]
    conflicts = f", {counted(totals['conflicts'], 'conflict')}" if totals.get("conflicts") else ""
    return ", ".join(shown) + conflicts


def _import_counts(source: SourceReport) -> str:
    from .importing.report import totals_of

    if source.failed and not (source.formats or source.skipped):
        return "not imported"
    formats = f"{', '.join(source.formats)}: " if source.formats else ""
    counts = _counts(totals_of((source,)))
    merged = f" ({counted(source.merged, 'earlier captured version')} merged)" if source.merged else ""
    return formats + counts + merged


def _export(args: argparse.Namespace) -> int:
    from . import open_data
    from .site import load_archive

    try:
        archive, warnings = load_archive(args.content, args.config, strict=args.strict)
    except ContentError as exc:
        return _report(exc.problems)
    _report(warnings)
    output = args.output or Path(open_data.FORMATS[args.format])
    try:
        if str(output) == "-":
            sys.stdout.buffer.write(open_data.export_bytes(archive, args.format))
            sys.stdout.flush()
        else:
            open_data.export_to(archive, args.format, output)
    except OSError as exc:
        print(f"briefings: error: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_INVALID
    if args.format == "geojson":  # the cities on the map, not the updates
        held = counted(sum(1 for c in archive.cities if c.info is not None and c.info.coordinates is not None), "city")
    else:
        held = counted(len(archive.entries), "update")
    print(f"wrote {'standard output' if str(output) == '-' else output}: {held}", file=sys.stderr)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from . import schema_export

    if args.check:
        if schema_export.is_current(args.config):
            return EXIT_OK
        path = schema_export.exported_path(args.config)
        print(f"{path}: error: differs from the schema 'check' uses: run 'briefings schema' to update it")
        return EXIT_INVALID
    try:
        print(schema_export.export_entry_schema(args.config))
    except OSError as exc:
        where = exc.filename or schema_export.exported_path(args.config)
        print(f"briefings: error: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .build import build
    from .cache.storage import take_notices

    started = time.perf_counter()
    cache_dir, unusable = _cache_folder(args.cache_dir)
    try:
        with _progress_shown(), _problems_printed_once():
            generated = build(
                mkdocs_yml=args.mkdocs_config,
                content_dir=args.content,
                config_dir=args.config,
                site_dir=args.site_dir,
                strict=args.strict,
                cache_dir=cache_dir,
                clean=args.clean,
            )
    except ContentError as exc:
        _report(exc.problems)
        print(f"build failed; {args.site_dir} was left as it was", file=sys.stderr)
        return EXIT_INVALID
    except (BriefingsError, OSError) as exc:
        print(f"briefings: error: {_failure(exc, args.site_dir)}", file=sys.stderr)
        print(f"build failed; {args.site_dir} was left as it was", file=sys.stderr)
        return EXIT_INVALID
    size = hosting.measure(args.site_dir)
    limits = tuple(Problem(str(args.site_dir), None, Severity.WARNING, why) for why in hosting.passed(size))
    # With the warnings about caches read after the site was generated (the theme's templates).
    _report(unusable + generated.warnings + take_notices() + limits, summarise=not args.verbose)
    print(_built(args.site_dir, generated, time.perf_counter() - started, size), file=sys.stderr)
    return EXIT_OK


def _cache_folder(folder: Path) -> tuple[Path | None, tuple[Problem, ...]]:
    """``folder`` for the caches, made if need be; or none, and why, if it cannot be (a file in its place)."""
    from .cache.storage import cache_folder, take_notices

    made = cache_folder(folder, given=True)
    return made, () if made is not None else take_notices()


def _failure(exc: Exception, site_dir: Path) -> str:
    """Why a build of ``site_dir`` failed, in one line: for a system error, what could not be written and why."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        # shutil.copytree's errors, one (source, target, why) for each file it could not copy.
        _, target, why = exc.args[0][0]
        found = re.match(r"\[Errno (\d+)\] ", str(why))
        reason = os.strerror(int(found.group(1))) if found else str(why)
        more = len(exc.args[0]) - 1
        return f"could not write {target}: {reason}" + (f" (nor {more} more files)" if more else "")
    if isinstance(exc, OSError) and exc.errno is not None:
        reason = exc.strerror or os.strerror(exc.errno)
        target = exc.filename2 if exc.filename2 is not None else exc.filename
        if target is None:  # a write that names no file (MkDocs writing a page): the new site, beside the old one
            return f"could not write the new site beside {site_dir}: {reason}"
        return f"could not write {target}: {reason}"
    return str(exc)


# The MkDocs adapter's logger: it logs the generator's problems for `mkdocs build`, which has
# no other way to show them; `briefings` prints them itself (_report).
_ADAPTER_LOGGER = "mkdocs.plugins.generator.mkdocs_plugin"


@contextmanager
def _progress_shown() -> Iterator[None]:
    """Show a long build's progress on one line of the terminal, removed when the build ends."""
    line = progress.TerminalLine.on_terminal(sys.stderr)
    if line is None:  # a file or a pipe: a log stays as it is read, line by line
        yield
        return
    with progress.listening(line):
        try:
            yield
        finally:
            line.clear()


@contextmanager
def _problems_printed_once() -> Iterator[None]:
    """Keep the MkDocs adapter from printing again the problems this command prints."""
    adapter = logging.getLogger(_ADAPTER_LOGGER)
    adapter.addFilter(_not_a_problem)
    try:
        yield
    finally:
        adapter.removeFilter(_not_a_problem)


def _not_a_problem(record: logging.LogRecord) -> bool:
    """False for a record that is a problem as ``Problem.format`` writes it ("path:line: warning: ...")."""
    return not any(f": {severity.value}: " in record.getMessage() for severity in Severity)


def _built(site_dir: Path, generated: GeneratedSite, seconds: float, size: hosting.SiteSize | None = None) -> str:
    """What a build did: 'built SITE in SECONDS s: ENTRIES entries on DAYS days; RENDERED of PAGES pages
    rendered; FILES files, SIZE MB' (README.md, "Command line", shows one)."""
    archive, pages = generated.archive, len(generated.pages)
    rendered = pages - len(generated.reused)  # the others were copied unchanged from the previous site
    weight = "" if size is None else f"; {size.files} files, {hosting.megabytes(size.bytes)}"
    return (f"built {site_dir} in {seconds:.2f} s: {counted(len(archive.entries), 'entry')} on {counted(len(archive.days), 'day')}; "
            f"{rendered} of {pages} pages rendered{weight}")  # fmt: skip


def _port(text: str) -> int:
    """A TCP port: 0 (any free one) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: give 1 to 65535, or 0 for any free one")
    return port


def _serve(args: argparse.Namespace) -> int:
    from .serve import ServeOptions, serve
    from .site_folders import SiteFolderError

    from .cache.storage import take_notices

    cache_dir, unusable = _cache_folder(args.cache_dir)

    def report(generated: GeneratedSite | None, error: Exception | None, seconds: float) -> str | None:
        if generated is not None:
            _report(unusable + generated.warnings + take_notices(), summarise=not args.verbose)
            print(_built(args.site_dir, generated, seconds), file=sys.stderr, flush=True)
            return None
        if isinstance(error, ContentError):
            _report(error.problems)
            text = "\n".join(problem.format() for problem in error.problems)
        else:
            assert error is not None  # no site, so an error
            text = _failure(error, args.site_dir)
            print(f"briefings: error: {text}", file=sys.stderr)
        print(f"rebuild failed; {args.site_dir} was left as it was; waiting for the next change", file=sys.stderr, flush=True)
        return text

    def ready(address: str) -> None:
        print(f"serving {args.site_dir} at {address} (Ctrl+C to stop); rebuilding after every change", file=sys.stderr, flush=True)

    options = ServeOptions(
        mkdocs_yml=args.mkdocs_config, content_dir=args.content, config_dir=args.config, site_dir=args.site_dir,
        cache_dir=cache_dir, strict=args.strict, host=args.host, port=args.port,
    )  # fmt: skip
    try:
        with _problems_printed_once():
            serve(options, report, ready)
    except SiteFolderError as exc:
        print(f"briefings: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:  # the port is taken, say
        taken = exc.errno == errno.EADDRINUSE
        why = "another program is serving there (another 'briefings serve'?): give another port with --port" if taken else exc
        print(f"briefings: error: cannot serve at {args.host}:{args.port}: {why}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


# With ``summarise``, the warnings of one kind printed before the rest are only counted.
SHOWN_OF_A_KIND = 5


def _report(problems: Sequence[Problem], output: str = "text", *, summarise: bool = False) -> int:
    """Print every problem, one per line, then a count; return the exit code they mean.

    With ``summarise``, every error is printed but only the first few warnings of each
    kind (the same message but for names, numbers and times), then how many more.
    """
    from .annotations import annotation

    seen: dict[str, list[Problem]] = {}
    for problem in problems:
        same = seen.setdefault(_kind(problem), [])
        same.append(problem)
        if not summarise or problem.severity is Severity.ERROR or len(same) <= SHOWN_OF_A_KIND:
            print(annotation(problem) if output == "github" else problem.format())
    for same in seen.values():
        hidden = [p for p in same[SHOWN_OF_A_KIND:] if p.severity is not Severity.ERROR] if summarise else []
        if hidden:
            print(f"... and {counted(len(hidden), 'more warning')} like the last: 'briefings build --verbose' lists them all")
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if problems:
        print(f"{counted(errors, 'error')}, {counted(warnings, 'warning')}", file=sys.stderr)
    return EXIT_INVALID if errors else EXIT_OK


def _kind(problem: Problem) -> str:
    """What makes warnings alike: their message without quoted names, numbers and times."""
    return problem.severity.value + _PARTICULARS.sub("_", problem.message)


_PARTICULARS = re.compile(r"'[^']*'|\"[^\"]*\"|\([^)]*\)|\d[\d:.+-]*")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
