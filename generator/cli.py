"""The ``briefings`` command line: the only place that formats errors for people.

Exit codes: 0 success, 1 invalid content or a failed build, 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .problems import BriefingsError, ContentError, Problem, Severity

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("briefings: interrupted; the site directory was left as it was", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefings",
        description="Build and check an archive of live briefings.",
    )
    parser.add_argument("--version", action="version", version=f"briefings {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into the site directory")
    _content_options(build)
    build.add_argument("--site-dir", type=Path, default=Path("site"), help="where to write the site (default: site/)")
    build.add_argument("--mkdocs-config", type=Path, default=Path("mkdocs.yml"), help="the MkDocs configuration (default: mkdocs.yml)")
    build.set_defaults(run=_build)

    check = commands.add_parser("check", help="check content and configuration without building")
    _content_options(check)
    check.set_defaults(run=_check)
    return parser


def _content_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", type=Path, default=Path("content"), help="the entries (default: content/)")
    command.add_argument("--config", type=Path, default=Path("site_config"), help="settings and registries (default: site_config/)")
    command.add_argument("--strict", action="store_true", help="treat warnings as errors")


def _check(args: argparse.Namespace) -> int:
    from .site import load_archive

    try:
        archive, problems = load_archive(args.content, args.config, strict=args.strict)
    except ContentError as exc:
        return _report(exc.problems)
    _report(problems)
    print(f"ok: {len(archive.entries)} entries on {len(archive.days)} days", file=sys.stderr)
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .build import build

    try:
        generated = build(
            mkdocs_yml=args.mkdocs_config,
            content_dir=args.content,
            config_dir=args.config,
            site_dir=args.site_dir,
            strict=args.strict,
        )
    except ContentError as exc:
        _report(exc.problems)
        print(f"build failed; {args.site_dir} was left as it was", file=sys.stderr)
        return EXIT_INVALID
    except (BriefingsError, OSError) as exc:
        print(f"briefings: error: {exc}", file=sys.stderr)
        print(f"build failed; {args.site_dir} was left as it was", file=sys.stderr)
        return EXIT_INVALID
    _report(generated.warnings)
    archive = generated.archive
    print(f"built {args.site_dir}: {len(archive.entries)} entries on {len(archive.days)} days", file=sys.stderr)
    return EXIT_OK


def _report(problems: Sequence[Problem]) -> int:
    """Print every problem, one per line, then a count; return the exit code they mean."""
    for problem in problems:
        print(problem.format())
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if problems:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_INVALID if errors else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
