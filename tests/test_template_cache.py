"""Compiled templates kept in the cache are checked before they are loaded (generator/cache/templates.py):
a damaged one is compiled again, with a warning, never run."""

from __future__ import annotations

from pathlib import Path

from conftest import Project, make_project

FOLDERS = ("generator-templates", "templates")  # the generator's templates, the theme's (mkdocs-material's)
WARNING = "warning: {} files of this cache were missing or damaged; what they held is built again"


def _project(root: Path) -> Project:
    p = make_project(root)
    p.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]")
    return p


def _compiled(p: Project) -> list[Path]:
    found = sorted(f for folder in FOLDERS for f in (p.root / ".cache" / folder).iterdir())
    assert {f.parent.name for f in found} == set(FOLDERS)
    return found


def _intact(path: Path) -> bool:
    from generator.cache.storage import DamagedCacheFile, read_sealed

    try:
        read_sealed(path, unsealed=b"j2")
    except DamagedCacheFile:
        return False
    return True


def _damage(paths: list[Path]) -> None:
    for path in paths:
        data = bytearray(path.read_bytes())
        data[len(data) * 2 // 3] ^= 0x5A  # inside the compiled code: Python would run it as it is
        path.write_bytes(bytes(data))


def _files(site: Path) -> dict[str, bytes]:
    return {f.relative_to(site).as_posix(): f.read_bytes() for f in sorted(site.rglob("*")) if f.is_file()}


def test_a_damaged_compiled_template_is_compiled_again_with_a_warning(tmp_path: Path) -> None:
    p = _project(tmp_path)
    assert p.build().code == 0
    compiled = _compiled(p)
    before = _files(p.site)
    _damage(compiled)
    # Into another folder: every page is rendered, every template loaded.
    result = p.build(site=tmp_path / "again")
    assert result.code == 0, result.out + result.err
    folders = sorted({path.parent for path in compiled})
    assert sorted(result.lines) == [f"{folder}: {WARNING.format(sum(p.parent == folder for p in compiled))}" for folder in folders]
    assert _files(tmp_path / "again") == before
    assert all(_intact(path) for path in _compiled(p))
    result = p.build(site=tmp_path / "once-more")
    assert result.code == 0 and result.lines == []  # replaced: no warning twice


def test_a_clean_build_reads_no_compiled_template_and_writes_them_all_again(tmp_path: Path) -> None:
    p = _project(tmp_path)
    assert p.build().code == 0
    compiled = _compiled(p)
    _damage(compiled)
    result = p.build("--clean", site=tmp_path / "clean")
    assert result.code == 0, result.out + result.err
    assert result.lines == []
    assert _compiled(p) == compiled and all(_intact(path) for path in compiled)


def test_mkdocs_build_compiles_a_damaged_theme_template_again(tmp_path: Path, caplog) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    p = _project(tmp_path)
    yml = p.mkdocs_yml(tmp_path / "mkdocs.yml")
    mkdocs_build(load_config(str(yml), site_dir=str(tmp_path / "first")))
    theme = sorted((tmp_path / ".cache" / "briefings" / "templates").iterdir())
    assert theme
    _damage(theme)
    mkdocs_build(load_config(str(yml), site_dir=str(tmp_path / "second")))
    assert _files(tmp_path / "second") == _files(tmp_path / "first")
    warned = [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()]
    folder = theme[0].parent
    assert warned == [f"generator: {folder}: {WARNING.format(len(theme))}"]
    assert all(_intact(path) for path in theme)
