"""`briefings check`: every rule's exact message and line, all in one run, exit codes."""

from __future__ import annotations

import subprocess
import sys

import lxml.html
import pytest

from conftest import Project, article, run_cli
from generator.entries import NOT_PUBLISHED

GOOD = "title: Fine\npublished: 2022-03-03T10:00:00+02:00"
P = "content/2022/03/03"

# (file name, file text, expected output line or lines); each file breaks one rule.
CASES = [
    ("empty-title.md", '---\ntitle: ""\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n',
     f"{P}/empty-title.md:2: error: 'title' must not be empty"),
    ("blank-title.md", '---\ntitle: "   "\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n',
     f"{P}/blank-title.md:2: error: 'title' must not be empty: '   '"),
    ("no-title.md", "---\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/no-title.md:2: error: missing required field 'title'"),
    ("no-published.md", "---\ntitle: x\n---\nx\n",
     f"{P}/no-published.md:2: error: missing required field 'published'"),
    ("no-title-nor-published.md", "---\ntags: [x]\n---\nx\n",
     (f"{P}/no-title-nor-published.md:2: error: missing required field 'published'",
      f"{P}/no-title-nor-published.md:2: error: missing required field 'title'")),
    ("empty-source-and-correction.md", f"---\n{GOOD}\nsources: [ {{}} ]\ncorrections: [ {{}} ]\n---\nx\n",
     (f"{P}/empty-source-and-correction.md:4: error: missing required field 'name' in source 1",
      f"{P}/empty-source-and-correction.md:4: error: missing required field 'url' in source 1",
      f"{P}/empty-source-and-correction.md:5: error: missing required field 'at' in correction 1",
      f"{P}/empty-source-and-correction.md:5: error: missing required field 'text' in correction 1")),
    ("no-offset.md", "---\ntitle: x\npublished: 2022-03-03T10:00:00\n---\nx\n",
     f"{P}/no-offset.md:3: error: 'published' has no UTC offset: Kyiv was at +02:00 on 2022-03-03, so if 10:00 "
     "is Kyiv time, write published: 2022-03-03T10:00:00+02:00 (or end it with Z for UTC)"),
    ("date-only.md", "---\ntitle: x\npublished: 2022-03-03\n---\nx\n",
     f"{P}/date-only.md:3: error: 'published' has a date but no time: write the time and Kyiv's UTC offset "
     "that day, like published: 2022-03-03T09:40:00+02:00"),
    ("date-only-far.md", "---\ntitle: x\npublished: 9999-12-31\n---\nx\n",
     f"{P}/date-only-far.md:3: error: 'published' is in the year 9999, and times must be from 1900 to 2100: "
     "check the year: '9999-12-31'"),
    ("summer-offset.md", "---\ntitle: x\npublished: 2022-03-03T10:00:00+03:00\n---\nx\n",
     f"{P}/summer-offset.md:3: warning: 'published' has the offset +03:00, but Kyiv was at +02:00 on 2022-03-03 "
     "(+03:00 is its summer time): if 10:00 is Kyiv time, write published: 2022-03-03T10:00:00+02:00"),
    ("winter-offset.md", "---\ntitle: x\npublished: 2022-03-03T10:00:00+02:00\nupdated: 2022-07-01T10:00+02:00\n---\nx\n",
     f"{P}/winter-offset.md:4: warning: 'updated' has the offset +02:00, but Kyiv was at +03:00 on 2022-07-01 "
     "(+02:00 is its winter time): if 10:00 is Kyiv time, write updated: 2022-07-01T10:00+03:00"),
    ("skipped-hour.md", "---\ntitle: x\npublished: 2022-03-03T10:00:00+02:00\nupdated: 2022-03-27T03:30\n---\nx\n",
     f"{P}/skipped-hour.md:4: error: 'updated' has no UTC offset, and 03:30 did not exist in Kyiv on 2022-03-27: "
     "the clocks went from 03:00 to 04:00; write the time with its offset, or Z for UTC"),
    ("utc-and-elsewhere.md", "---\ntitle: x\npublished: 2022-03-03T08:00:00Z\nupdated: 2022-03-03T05:00:00-05:00\n---\nx\n",
     None),
    ("not-a-time.md", "---\ntitle: x\npublished: yesterday\n---\nx\n",
     f"{P}/not-a-time.md:3: error: 'published' must be an ISO 8601 time with a UTC offset or Z, "
     "like 2022-03-03T09:40:00+02:00: 'yesterday'"),
    ("unreal-date.md", "---\ntitle: x\npublished: 2022-02-30T10:00:00+02:00\n---\nx\n",
     f"{P}/unreal-date.md:3: error: 'published' is not a real date and time: '2022-02-30T10:00:00+02:00'"),
    ("updated-before.md", f"---\n{GOOD}\nupdated: 2022-03-03T09:00:00+02:00\n---\nx\n",
     f"{P}/updated-before.md:4: error: 'updated' (2022-03-03T09:00:00+02:00) is before 'published' (2022-03-03T10:00:00+02:00)"),
    ("title-bool.md", "---\ntitle: no\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/title-bool.md:2: error: 'title' must be text, not no, which YAML reads as false (a boolean) (put the value in quotes)"),
    ("title-number.md", "---\ntitle: 12:30\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/title-number.md:2: error: 'title' must be text, not 12:30, which YAML reads as 750 (a number) (put the value in quotes)"),
    ("cities-text.md", f"---\n{GOOD}\ncities: Kyiv\n---\nx\n",
     f"{P}/cities-text.md:4: error: 'cities' must be a list, not 'Kyiv': write it as cities: [Kyiv]"),
    ("cities-unbracketed.md", f"---\n{GOOD}\ncities: Kyiv, Kharkiv]\n---\nx\n",
     f"{P}/cities-unbracketed.md:4: error: 'cities' must be a list, not 'Kyiv, Kharkiv]': write it as cities: [Kyiv, Kharkiv]"),
    ("sources-no-dash.md", f"---\n{GOOD}\nsources:\n  name: X\n  url: https://example.org/\n---\nx\n",
     f"{P}/sources-no-dash.md:4: error: 'sources' must be a list, not a mapping of fields: a source is two lines, "
     '"  - name: RFE/RL" and, on the next line, "    url: https://www.rferl.org/..." (two spaces before \'-\', '
     "four before 'url')"),
    ("url-at-the-margin.md", f"---\n{GOOD}\nsources:\n- name: X\nurl: https://example.org/\n---\nx\n",
     (f"{P}/url-at-the-margin.md:5: error: missing required field 'url' in source 1",
      f"{P}/url-at-the-margin.md:6: warning: 'url' is not a field of its own but part of a source, indented under "
     '\'sources\': a source is two lines, "  - name: RFE/RL" and, on the next line, '
     '"    url: https://www.rferl.org/..." (two spaces before \'-\', four before \'url\')')),
    ("title-hash.md", "---\ntitle: #1 story of the day\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/title-hash.md:2: error: YAML reads everything from a '#' after a space as a comment, so 'title' is empty: "
     'put the whole value in quotes: title: "#1 story of the day"'),
    ("bad-url.md", f"---\n{GOOD}\nsources:\n  - name: X\n    url: javascript:alert(1)\n---\nx\n",
     f"{P}/bad-url.md:6: error: 'url' of source 1 must be an http:// or https:// URL: 'javascript:alert(1)'"),
    ("source-no-url.md", f"---\n{GOOD}\nsources:\n  - name: X\n---\nx\n",
     f"{P}/source-no-url.md:5: error: missing required field 'url' in source 1"),
    ("key-text.md", f"---\n{GOOD}\nkey: maybe\n---\nx\n",
     f"{P}/key-text.md:4: error: 'key' must be true or false, not 'maybe'"),
    ("unknown-field.md", f"---\n{GOOD}\nwriter: Me\n---\nx\n",
     f"{P}/unknown-field.md:4: warning: unknown field 'writer' "
     "(known fields: author, autolink, cities, corrections, digest, draft, key, language, origin, people, published, sources, tags, title, updated)"),
    ("key-capital.md", f"---\n{GOOD}\nKey: true\n---\nx\n",
     f"{P}/key-capital.md:4: warning: unknown field 'Key' "
     "(known fields: author, autolink, cities, corrections, digest, draft, key, language, origin, people, published, sources, tags, title, updated); did you mean 'key'?"),
    ("field-typo.md", "---\ntitel: x\ntitle: x\npublished: 2022-03-03T10:00:00+02:00\ncitys: [A]\n---\nx\n",
     (f"{P}/field-typo.md:2: warning: unknown field 'titel' "
      "(known fields: author, autolink, cities, corrections, digest, draft, key, language, origin, people, published, sources, tags, title, updated); did you mean 'title'?",
      f"{P}/field-typo.md:5: warning: unknown field 'citys' "
      "(known fields: author, autolink, cities, corrections, digest, draft, key, language, origin, people, published, sources, tags, title, updated); did you mean 'cities'?")),
    ("no-front-matter.md", "Just text\n",
     f"{P}/no-front-matter.md:1: error: no front matter: the file must start with a line '---'"),
    ("blank-first-line.md", f"\n\n---\n{GOOD}\n---\nx\n",
     f"{P}/blank-first-line.md:1: error: no front matter: the '---' must be the file's first line: "
     "remove the empty line(s) above it"),
    ("unclosed.md", "---\ntitle: x\n",
     f"{P}/unclosed.md:1: error: front matter is not closed: add a line '---' after it"),
    ("only-front-matter.md", f"---\n{GOOD}\n---\n",
     f"{P}/only-front-matter.md:4: warning: the body is empty: write the update below the closing '---'"),
    ("title-colon.md", "---\ntitle: Kyiv: sirens sound again\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/title-colon.md:2: error: the value of 'title' has ': ' in it, which YAML reads as a new field: "
     'put the whole value in quotes: title: "Kyiv: sirens sound again"'),
    ("title-at.md", "---\ntitle: @rferl reports shelling\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/title-at.md:2: error: a value cannot start with '@' in YAML: "
     'put the whole value in quotes: title: "@rferl reports shelling"'),
    ("title-bracket.md", "---\ntitle: [Update] Kyiv shelled\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/title-bracket.md:2: error: a value cannot start with '[' in YAML: "
     'put the whole value in quotes: title: "[Update] Kyiv shelled"'),
    ("title-star.md", "---\ntitle: *Breaking* Kyiv shelled\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/title-star.md:2: error: a value cannot start with '*' in YAML: "
     'put the whole value in quotes: title: "*Breaking* Kyiv shelled"'),
    ("title-ampersand.md", "---\ntitle: &more Kyiv news\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/title-ampersand.md:2: error: a value cannot start with '&' in YAML: "
     'put the whole value in quotes: title: "&more Kyiv news"'),
    ("title-bang.md", "---\ntitle: !Breaking Kyiv news\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/title-bang.md:2: error: a value cannot start with '!' in YAML: "
     'put the whole value in quotes: title: "!Breaking Kyiv news"'),
    ("quote-unclosed.md", '---\ntitle: "Mayor says no\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n',
     f'{P}/quote-unclosed.md:2: error: the " that opens the value of \'title\' is never closed: '
     'end the value with " on the same line: title: "Mayor says no"'),
    ("quotes-inside.md", '---\ntitle: "Mayor says "no" to talks"\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n',
     f'{P}/quotes-inside.md:2: error: the value of \'title\' ends at its second ": to keep quotes inside a value, '
     "write it as title: 'Mayor says \"no\" to talks'"),
    ("tab.md", f"---\n{GOOD}\nsources:\n\t- name: X\n\t  url: https://example.org/\n---\nx\n",
     f"{P}/tab.md:5: error: this line has a tab, and YAML takes only spaces before a field or a list item: "
     "use spaces instead"),
    ("nbsp-after-colon.md", "---\ntitle:\u00a0Sirens\npublished:\u00a02022-03-03T10:00:00+02:00\ncities: [Kyiv]\n---\nx\n",
     f"{P}/nbsp-after-colon.md:2: error: a no-break space (U+00A0) after 'title:', which text from Word or a web page "
     "brings: YAML does not read it as a space; delete it and type an ordinary space"),
    ("nbsp-indent.md", f"---\n{GOOD}\nsources:\n\u00a0 - name: X\n\u00a0 \u00a0 url: https://example.org/\n---\nx\n",
     (f"{P}/nbsp-indent.md:4: error: 'sources' must be a list, not empty: delete the line, or write each source under it, "
      "as '  - name: RFE/RL' and, on the next line, '    url: https://www.rferl.org/...'",
      f"{P}/nbsp-indent.md:5: warning: a no-break space (U+00A0) before '- name', which text from Word or a web page "
      "brings: YAML does not read it as a space; delete it and type ordinary spaces",
      f"{P}/nbsp-indent.md:6: warning: a no-break space (U+00A0) before 'url', which text from Word or a web page "
      "brings: YAML does not read it as a space; delete it and type ordinary spaces")),
    ("hidden-field.md", "---\ntitle: x\npub\u200blished: 2022-03-03T10:00:00+02:00\n---\nx\n",
     (f"{P}/hidden-field.md:2: error: missing required field 'published'",
      f"{P}/hidden-field.md:3: warning: the field 'published' holds an invisible character (U+200B ZERO WIDTH SPACE): "
      "retype its name")),
    ("sources-kept-empty.md", f"---\n{GOOD}\nsources: []\n# To add a source, delete the [] above\n  - name: X\n    url: https://example.org/\n---\nx\n",
     f"{P}/sources-kept-empty.md:4: error: 'sources: []' says the list is empty, so YAML cannot read the items below it: "
     "delete the [] and keep the items"),
    ("corrections-empty.md", f"---\n{GOOD}\ncorrections:\n---\nx\n",
     f"{P}/corrections-empty.md:4: error: 'corrections' must be a list, not empty: delete the line, or write each "
     "correction under it, as '  - at: 2022-03-03T12:30:00+02:00' and, on the next line, '    text: What was wrong, and "
     "what is right.'"),
    ("dashes-in-date.md", "---\ntitle: x\npublished: 2022\u201303\u201303T10:00:00+02:00\n---\nx\n",
     f"{P}/dashes-in-date.md:3: error: 'published' has an en dash (U+2013) where a hyphen goes: "
     "write published: 2022-03-03T10:00:00+02:00"),
    ("source-indent.md", f"---\n{GOOD}\nsources:\n  - name: X\n   url: https://example.org/\n---\nx\n",
     f"{P}/source-indent.md:6: error: 'url' is not lined up with the source above it: a source is two lines, "
     '"  - name: RFE/RL" and, on the next line, "    url: https://www.rferl.org/..." (two spaces before \'-\', '
     "four before 'url')"),
    ("no-space.md", "---\ntitle: x\npublished:2022-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/no-space.md:3: error: 'published:' needs a space after the colon: published: 2022-03-03T10:00:00+02:00"),
    ("indented-field.md", "---\ntitle: x\n  published: 2022-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/indented-field.md:3: error: 'published' is indented further than 'title' above it, so YAML reads it "
     "as part of that value: start it where 'title' starts"),
    ("duplicate-key.md", f"---\n{GOOD}\ntitle: again\n---\nx\n",
     f"{P}/duplicate-key.md:4: error: 'title' is given twice (first on line 2): keep one"),
    ("anchor.md", f"---\n{GOOD}\ntags: &t [a]\n---\nx\n",
     f"{P}/anchor.md:4: error: YAML anchors (&name) are not allowed"),
    ("python-tag.md", f"---\n{GOOD}\ntags: !!python/object/apply:os.system [ls]\n---\nx\n",
     f"{P}/python-tag.md:4: error: YAML tags like '!!python/object/apply:os.system' are not allowed"),
    ("list-front-matter.md", "---\n- a\n---\nx\n",
     f"{P}/list-front-matter.md:1: error: front matter must be fields like 'title: ...', one per line"),
    ("broken-yaml.md", f"---\n{GOOD}\ncities: [Kyiv\n---\nx\n",
     f"{P}/broken-yaml.md:4: error: the '[' that opens the list of 'cities' is never closed: "
     "end it with ']' on the same line: cities: [Kyiv]"),
    ("control-in-title.md", '---\ntitle: "bell\\a"\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n',
     f"{P}/control-in-title.md:2: error: 'title' contains a control character"),
    ("wrong-folder.md", "---\ntitle: x\npublished: 2022-03-04T10:00:00+02:00\n---\nx\n",
     f"{P}/wrong-folder.md:3: warning: folder date 2022-03-03 differs from the published date 2022-03-04 "
     "in Europe/Kyiv; the entry is listed on 2022-03-04, with that day's address and feed id"),
    ("year-slip.md", "---\ntitle: x\npublished: 2023-03-03T10:00:00+02:00\n---\nx\n",
     f"{P}/year-slip.md:3: warning: folder date 2022-03-03 differs from the published date 2023-03-03 in Europe/Kyiv; "
     "the entry is listed on 2023-03-03, with that day's address and feed id; if the update is of 2022-03-03, the year "
     "in 'published' is mistyped"),
    ("wrong-folder-draft.md", "---\ntitle: x\npublished: 2022-03-04T10:00:00+02:00\ndraft: true\n---\nx\n",
     f"{P}/wrong-folder-draft.md:3: warning: folder date 2022-03-03 differs from the published date 2022-03-04 "
     "in Europe/Kyiv; the entry will be listed, once not a draft, on 2022-03-04, with that day's address and feed id"),
]


def test_a_date_folder_written_otherwise_is_checked_against_published_too(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    text = "---\ntitle: {0}\npublished: 2022-03-03T10:00:00+02:00\n---\nFiled in {0}.\n"
    for number, folder in enumerate(("2022/3/4", "2022-03-05", "2022/02/30", "2022/3/3")):
        project.write(f"content/{folder}/update-{number}.md", text.format(folder))
    differs = ("warning: folder date {} differs from the published date 2022-03-03 in Europe/Kyiv; the entry is listed "
               "on 2022-03-03, with that day's address and feed id")
    assert sorted(run_relative(project).lines) == [
        "content/2022-03-05/update-1.md:3: " + differs.format("2022-03-05"),
        "content/2022/02/30/update-2.md:3: warning: the folder 2022/02/30 is no date of the calendar; the entry is listed "
        "on 2022-03-03, its published date: move it to 2022/03/03/",
        "content/2022/3/4/update-0.md:3: " + differs.format("2022-03-04"),
    ]


def test_every_rule_reported_in_one_run(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    for name, text, _ in CASES:
        project.write(f"{P}/{name}", distinct(name, text))
    result = project.check()
    expected = sorted(line for _, _, lines in CASES for line in printed(lines))
    assert sorted(l.replace(str(project.root) + "/", "") for l in result.lines) == expected
    assert result.code == 1
    assert "Traceback" not in result.out + result.err


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule(project: Project, monkeypatch: pytest.MonkeyPatch, name: str, text: str, expected: str | tuple | None) -> None:
    monkeypatch.chdir(project.root)
    project.write(f"{P}/{name}", text)
    result = run_relative(project)
    assert result.lines == printed(expected)
    is_error = any(": error: " in line for line in printed(expected))
    assert result.code == (1 if is_error else 0)


def distinct(name: str, text: str) -> str:
    """The file with a body of its own: files of one body and time are the same update saved twice."""
    return text.replace("\n---\nx\n", f"\n---\nBody of {name}.\n")


def printed(expected: str | tuple[str, ...] | None) -> list[str]:
    return [expected] if isinstance(expected, str) else list(expected or ())


def run_relative(project: Project):
    from conftest import run_cli

    return run_cli("check", "--content", "content", "--config", "site_config")


def test_not_utf8_names_line_and_column(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write(f"{P}/latin1.md", b"---\ntitle: caf\xe9\npublished: 2022-03-03T10:00:00+02:00\n---\n")
    assert run_relative(project).lines == [
        f"{P}/latin1.md:2: error: not valid UTF-8 (byte 0xe9 at column 11); save the file as UTF-8"
    ]


PASTED = "(a {}, which text pasted from Word or a PDF often carries): delete it, and type the space or line break it stood for"


@pytest.mark.parametrize(("character", "told"), [
    ("\x0b", f"invisible control character U+000B in 'title', column 12 {PASTED.format('vertical tab')}"),
    ("\x0c", f"invisible control character U+000C in 'title', column 12 {PASTED.format('form feed')}"),
    ("\x00", "invisible control character U+0000 in 'title', column 12 (a null character): YAML cannot read it; delete it"),
    ("\x07", "invisible control character U+0007 in 'title', column 12 (a bell): YAML cannot read it; delete it"),
    ("\x1b", "invisible control character U+001B in 'title', column 12 (an escape): YAML cannot read it; delete it"),
    ("\x7f", "invisible control character U+007F in 'title', column 12 (a delete): YAML cannot read it; delete it"),
    ("\ufffe", "invisible character U+FFFE in 'title', column 12: YAML cannot read it; delete it"),
])  # fmt: skip
def test_an_invisible_character_in_front_matter_is_named_with_its_line(
    project: Project, monkeypatch: pytest.MonkeyPatch, character: str, told: str
) -> None:
    monkeypatch.chdir(project.root)
    project.write(f"{P}/ctrl.md", f"---\ntitle: Ctrl{character}char\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n")
    project.write(f"{P}/other.md", "---\ntitle: Other\n---\nx\n")
    result = run_relative(project)
    assert result.lines == [f"{P}/ctrl.md:2: error: {told}", f"{P}/other.md:2: error: missing required field 'published'"]
    assert result.code == 1


def test_every_invisible_character_of_a_file_is_named(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write(f"{P}/ctrl.md", "---\ntitle: A\x0bB\npublished: 2022-03-03T10:00:00+02:00\ntags: [x\x0c]\n---\nx\n")
    assert run_relative(project).lines == [
        f"{P}/ctrl.md:2: error: invisible control character U+000B in 'title', column 9 {PASTED.format('vertical tab')}",
        f"{P}/ctrl.md:4: error: invisible control character U+000C in 'tags', column 9 {PASTED.format('form feed')}",
    ]


def test_an_invisible_character_in_the_settings_or_a_registry_is_named(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project.root)
    project.write("site_config/settings.yml", "title: T\x0c\nsite_url: https://x.org/\n")
    project.write("site_config/cities.yml", "- name: Kyiv\x0b\n")
    for result in (run_relative(project), project.build()):
        assert [line.replace(str(project.root) + "/", "") for line in result.lines] == [
            f"site_config/cities.yml:1: error: invisible control character U+000B in 'name', column 13 {PASTED.format('vertical tab')}",
            f"site_config/settings.yml:1: error: invisible control character U+000C in 'title', column 9 {PASTED.format('form feed')}",
        ]
        assert result.code == 1


def test_words_pasted_from_word_keep_their_line_breaks_and_quotes(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    # Word's Shift+Enter (U+000B), and curly quotes saved as Windows-1252 and read as Latin-1 (U+0093, U+0094).
    monkeypatch.chdir(project.root)
    body = "The mayor said\x0bit was calm.\nHe called it \x93quiet\x94.\x07\n"
    project.write(f"{P}/pasted.md", "---\ntitle: Pasted\npublished: 2022-03-03T10:00:00+02:00\n---\n" + body)
    code = "invisible control character U+{:04X} at column {}"
    assert run_relative(project).lines == [
        f"{P}/pasted.md:5: warning: {code.format(0x0B, 15)} (a vertical tab, which text pasted from Word or a PDF often "
        "carries) is read as a space: delete it, and press Enter where the line should break",
        f"{P}/pasted.md:6: warning: {code.format(0x93, 14)} is read as '\u201c', as Windows writes it: the text was saved "
        "in one encoding and read in another; type the character again",
        f"{P}/pasted.md:6: warning: {code.format(0x94, 20)} is read as '\u201d', as Windows writes it: the text was saved "
        "in one encoding and read in another; type the character again",
        f"{P}/pasted.md:6: warning: {code.format(0x07, 22)} was removed from the body: delete it",
    ]
    assert project.build().code == 0
    shown = article(lxml.html.fromstring((project.site / "2022/03/03/index.html").read_bytes())).text_content()
    assert "The mayor said it was calm." in shown  # a space, as a line break in a paragraph shows, not "saidit"
    assert "He called it \u201cquiet\u201d." in shown


def test_a_comment_left_open_is_told_an_error_where_it_hides_text(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    front = "---\ntitle: {}\npublished: 2022-03-03T10:00:00+02:00\n---\n"
    project.write(f"{P}/hidden.md", front.format("Hidden") + "Kyiv was calm.\n\n<!-- editor: check this figure\n\n2,000 people left.\n")
    project.write(f"{P}/shown.md", front.format("Shown") + "Kyiv was calm. <!-- note to the editor\n")
    project.write(f"{P}/closed.md", front.format("Closed") + "Kyiv was calm. <!-- in passing -->\n\n`<!--` in code is text.\n"
                  "\n\\<!-- escaped, as the HTML of a note is written.\n")
    project.write(f"{P}/corrected.md", "---\ntitle: Corrected\npublished: 2022-03-03T10:00:00+02:00\ncorrections:\n"
                  "  - at: 2022-03-03T11:00:00+02:00\n    text: \"The title misnamed the city.\\n\\n<!-- note\\n\\n"
                  "The mayor said so.\"\n---\nKyiv was calm.\n")  # fmt: skip
    result = run_relative(project)
    assert result.lines == [
        f"{P}/corrected.md:6: error: in a correction: this comment (<!--) is never closed with -->: everything after "
        "it, to the end of the update, is hidden from readers; close it with --> where the note ends",
        f"{P}/hidden.md:7: error: this comment (<!--) is never closed with -->: everything after it, to the end of "
        "the update, is hidden from readers; close it with --> where the note ends",
        f"{P}/shown.md:5: warning: this comment (<!--) is never closed with -->, so readers see it as text; close it "
        "with --> where the note ends",
    ]
    assert result.code == 1


@pytest.mark.parametrize(("opened", "closing"), [("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">")])
def test_an_html_block_left_open_is_an_error_for_the_text_it_hides(
    project: Project, monkeypatch: pytest.MonkeyPatch, opened: str, closing: str
) -> None:
    # CDATA comes with text pasted from a feed: never closed, it hides the rest of the update as a comment does.
    monkeypatch.chdir(project.root)
    body = f"Kyiv was calm.\n\n{opened}DOCTYPE pasted from a feed\n\n2,000 people left.\n"
    project.write(f"{P}/pasted.md", "---\ntitle: Pasted\npublished: 2022-03-03T10:00:00+02:00\n---\n" + body)
    assert [line for line in run_relative(project).lines if "error" in line] == [
        f"{P}/pasted.md:7: error: this HTML block ({opened}) is never closed with {closing}: everything after it, to the "
        f"end of the update, is hidden from readers; close it with {closing}, or delete it"
    ]


def test_a_value_in_a_word_processors_quotes_is_told_so(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    # Word and phones turn "..." into “...”, which YAML keeps as part of the value.
    monkeypatch.chdir(project.root)
    project.write(f"{P}/curly.md", "---\ntitle: Curly\npublished: \u201c2022-03-03T10:00:00+02:00\u201d\nkey: \u00abtrue\u00bb\n"
                                   "sources:\n  - name: RFE/RL\n    url: \u201chttps://www.rferl.org/a/x.html\u201d\n---\nx\n")
    advice = "; the {} {} around it are a word processor's quotes, which YAML keeps as part of the value: write it without them, {}, or in straight quotes"
    assert run_relative(project).lines == [
        f"{P}/curly.md:3: error: 'published' must be an ISO 8601 time with a UTC offset or Z, like 2022-03-03T09:40:00+02:00: "
        "'\u201c2022-03-03T10:00:00+02:00\u201d'" + advice.format("\u201c", "\u201d", "2022-03-03T10:00:00+02:00"),
        f"{P}/curly.md:4: error: 'key' must be true or false, not '\u00abtrue\u00bb'"
        + advice.format("\u00ab", "\u00bb", "true").removesuffix(", or in straight quotes"),  # "true" in quotes is text
        f"{P}/curly.md:7: error: 'url' of source 1 must be an http:// or https:// URL: '\u201chttps://www.rferl.org/a/x.html\u201d'"
        + advice.format("\u201c", "\u201d", "https://www.rferl.org/a/x.html"),
    ]


def test_a_fence_typed_with_a_word_processors_dashes_is_told_at_its_line(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    # Word, Pages and phones turn "---" into an em dash, and "--" into an en dash.
    monkeypatch.chdir(project.root)
    front = "title: {}\npublished: 2022-03-03T10:00:00+02:00\n"
    project.write(f"{P}/opened.md", "\u2014\n" + front.format("Opened") + "---\nBody.\n")
    project.write(f"{P}/closed.md", "---\n" + front.format("Closed") + "\u2013\u2013\u2013\nBody.\n")
    told = "error: this line is {} (U+{}), as a word processor types '---': the front matter opens and closes with a line of three hyphens, '---'"
    assert run_relative(project).lines == [
        f"{P}/closed.md:4: " + told.format("an en dash", "2013"),
        f"{P}/opened.md:1: " + told.format("an em dash", "2014"),
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_file_saved_as_utf16_is_told_to_be_saved_as_utf8(project: Project, monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    # Notepad's "Unicode" is UTF-16 with a byte order mark; other tools write it without one.
    monkeypatch.chdir(project.root)
    project.write(f"{P}/notepad.md", "---\ntitle: Notepad\npublished: 2022-03-03T10:00:00+02:00\n---\nBody.\n".encode(encoding))
    assert run_relative(project).lines == [
        f"{P}/notepad.md:1: error: saved as UTF-16 (what Notepad calls 'Unicode'), not UTF-8: save the file again with "
        "the encoding UTF-8"
    ]



def test_settings_and_registries_in_another_encoding_are_told_as_entries_are(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write("site_config/cities.yml", "- name: Kyiv\n".encode("utf-16"))
    project.write("site_config/people.yml", "- name: Caf\xe9 Owner\n".encode("cp1252"))
    assert run_relative(project).lines == [
        "site_config/cities.yml:1: error: saved as UTF-16 (what Notepad calls 'Unicode'), not UTF-8: save the file again "
        "with the encoding UTF-8",
        "site_config/people.yml:1: error: not valid UTF-8 (byte 0xe9 at column 12); save the file as UTF-8",
    ]


# A correction's block of text, where a full-width colon is a word's: the front matter up to it.
A_WIDE_COLON_IN_TEXT = ("---\ntitle: Block\npublished: 2022-03-03T09:00:00+02:00\ncorrections:\n"
                        "  - at: 2022-03-03T11:00:00+02:00\n    text: |\n      Note\uff1athe toll was wrong.\n")  # fmt: skip


def test_what_arabic_chinese_and_japanese_keyboards_type_is_told_where_it_is_the_mistake(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full-width colon after a field's name, another script's comma between names or after
    # one, and another script's digits in a time each read as something else to YAML or to a
    # date; in a correction's block of text a full-width colon is a word's, and is left alone.
    monkeypatch.chdir(project.root)
    project.write(f"{P}/colon.md", "---\ntitle\uff1a余震持续\npublished: 2022-03-03T10:00:00+02:00\n---\nBody.\n")
    project.write(f"{P}/commas.md", "---\ntitle: Commas\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv\u060c Kharkiv]\n"
                                    "people: [\u5cb8\u7530\u6587\u96c4\u3001\u77f3\u7834\u8302]\n---\nBody.\n")  # fmt: skip
    project.write(f"{P}/digits.md", "---\ntitle: Digits\npublished: \u0662\u0660\u0662\u0662-03-03T10:00:00+02:00\n---\nBody.\n")
    project.write(f"{P}/block.md", f"{A_WIDE_COLON_IN_TEXT}cities: [Kyiv\u060c]\n---\nA block.\n")
    assert run_relative(project).lines == [
        f"{P}/block.md:8: warning: 'Kyiv\u060c' holds an Arabic comma ('\u060c'), which YAML reads as a letter of the "
        "name: delete it: [Kyiv]",
        f"{P}/colon.md:2: error: 'title' is followed by a fullwidth colon ('\uff1a', U+FF1A), which YAML does not read as "
        "one: type the colon ':' and a space: title: 余震持续",
        f"{P}/commas.md:4: warning: 'Kyiv\u060c Kharkiv' is 2 names joined by an Arabic comma ('\u060c'), which YAML reads "
        "as a letter: separate them with a comma ',' and a space: [Kyiv, Kharkiv]",
        f"{P}/commas.md:5: warning: '\u5cb8\u7530\u6587\u96c4\u3001\u77f3\u7834\u8302' is 2 names joined by an "
        "ideographic comma ('\u3001'), which YAML reads as a letter: separate them with a comma ',' and a space: "
        "[\u5cb8\u7530\u6587\u96c4, \u77f3\u7834\u8302]",
        f"{P}/digits.md:3: error: 'published' is written with the digits \u0660\u0662: dates and times take the digits "
        "0 to 9: published: 2022-03-03T10:00:00+02:00",
    ]


def test_a_wide_colon_in_a_block_of_text_is_not_the_mistake_a_list_left_open_is(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project.root)
    project.write(f"{P}/block.md", f"{A_WIDE_COLON_IN_TEXT}cities: [Kyiv\n---\nA block.\n")
    assert run_relative(project).lines == [
        f"{P}/block.md:8: error: the '[' that opens the list of 'cities' is never closed: end it with ']' on the same "
        "line: cities: [Kyiv]",
    ]



def test_a_picture_left_behind_by_an_update_taken_down_is_told(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    # Deleting an update leaves its picture published at its address; one shown by a draft
    # is held back with it, and the site's own files are nobody's.
    monkeypatch.chdir(project.root)
    for name in ("left.png", "shown.png", "held.jpg"):
        project.write(f"{P}/{name}", b"picture")
    project.write("content/robots.txt", "User-agent: *\n")
    project.write(f"{P}/shown.md", "---\ntitle: Shown\npublished: 2022-03-03T10:00:00+02:00\n---\n![A queue](shown.png)\n")
    project.write(f"{P}/held.md", "---\ntitle: Held\npublished: 2022-03-03T11:00:00+02:00\ndraft: true\n---\n![A map](held.jpg)\n")
    assert run_relative(project).lines == [
        f"{P}/left.png: warning: no update shows or links this file, and it is published at its address all the same: "
        "if the update that showed it was taken down, delete it too; else show it or link it from an update"
    ]

YEARS = "and times must be from 1900 to 2100: check the year"


@pytest.mark.parametrize("written", [
    "9999-12-31T23:59:00-12:00", "9999-12-31T22:00:00Z", "9999-12-31T23:00:00+02:00", "1899-12-31T23:00:00+02:00",
])  # fmt: skip
def test_a_time_beyond_the_years_of_an_archive_is_an_error(project: Project, monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    """Times at the end of the calendar overflowed when their zone or week was worked out."""
    monkeypatch.chdir(project.root)
    year = int(written[:4])
    project.write(f"{P}/far.md", f"---\ntitle: Far\npublished: {written}\n---\nx\n")
    project.write(f"{P}/later.md", f"---\n{GOOD}\nupdated: {written}\ncorrections:\n  - at: {written}\n    text: Fixed.\n---\ny\n")
    for result in (run_relative(project), project.build()):
        assert [line.replace(str(project.root) + "/", "") for line in result.lines] == [
            f"{P}/far.md:3: error: 'published' is in the year {year}, {YEARS}: '{written}'",
            f"{P}/later.md:4: error: 'updated' is in the year {year}, {YEARS}: '{written}'",
            f"{P}/later.md:6: error: correction 1: 'at' is in the year {year}, {YEARS}: '{written}'",
        ]
        assert result.code == 1


def test_a_time_at_the_edge_of_the_accepted_years_builds(project: Project) -> None:
    project.entry("2100/12/31/last.md", "title: Last\npublished: 2100-12-31T23:59:00-12:00")
    project.entry("1900/01/01/first.md", "title: First\npublished: 1900-01-01T00:00:00+14:00")
    assert project.build().code == 0


@pytest.mark.parametrize("body", [
    "The statement is at <https://www.rferl.org/a/statement.html>.",
    "Write to <press@example.org> for the full text.",
    "Officials said the range was 50<x<100, and later > 120.",
    "The [map](<https://example.org/a map.png>) shows the front.",
    "The order reads:\n\n    <div class=\"order\">Curfew from 20:00</div>",
    "- The order:\n\n      <script>alert(1)</script>",
    "The embed code:\n\n\t<iframe src=\"https://x.example/\"></iframe>",
])  # fmt: skip
def test_what_the_page_shows_as_text_or_a_link_is_not_called_html(
    project: Project, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    monkeypatch.chdir(project.root)
    project.write(f"{P}/link.md", f"---\n{GOOD}\n---\n{body}\n")
    result = run_cli("check", "--content", "content", "--config", "site_config", "--strict")
    assert (result.code, result.lines) == (0, [])


def test_html_beside_an_autolink_is_still_named(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write(f"{P}/link.md", f"---\n{GOOD}\n---\nSee <https://www.rferl.org/>.\n\n<div\n  class=\"box\">Text</div>\n")
    assert run_relative(project).lines == [
        f"{P}/link.md:7: warning: HTML <div> is not allowed and will be removed: delete it, or write \\<div for <div to show it as text"
    ]


def test_a_word_in_angle_brackets_is_told_how_to_stay_on_the_page(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write(f"{P}/brackets.md", f"---\n{GOOD}\n---\nOfficials in <Kyiv> said so.\n")
    assert run_relative(project).lines == [
        f"{P}/brackets.md:5: warning: HTML <kyiv> is not allowed and will be removed: "
        "delete it, or write \\<Kyiv for <Kyiv to show it as text"
    ]
    project.write(f"{P}/brackets.md", f"---\n{GOOD}\n---\nOfficials in \\<Kyiv> said so.\n")  # as told
    assert run_relative(project).lines == []
    assert project.build().code == 0
    (body,) = project.page("2022/03/03/").xpath("//div[@class='brf-entry__body']")
    assert body.text_content().strip() == "Officials in <Kyiv> said so."


def test_html_is_named_at_its_line_after_code_spans_and_definitions_across_lines(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project.root)
    body = ("Run `curl\nhttps://x.example` then <font>x</font>.\n\n[r]: https://x.example/\n[See][r] <center>y</center>\n\n"
            "    <div>code</div>\n\n<div>block</div>\n")  # fmt: skip
    project.write(f"{P}/lines.md", f"---\n{GOOD}\n---\n{body}")
    assert run_relative(project).lines == [
        f"{P}/lines.md:6: warning: HTML <font> is not allowed and will be removed: delete it, or write \\<font for <font to show it as text",
        f"{P}/lines.md:9: warning: HTML <center> is not allowed and will be removed: delete it, or write \\<center for <center to show it as text",
        f"{P}/lines.md:13: warning: HTML <div> is not allowed and will be removed: delete it, or write \\<div for <div to show it as text",
    ]


def test_a_link_whose_scheme_is_written_as_an_entity_is_named(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    # The page decodes '&#106;' to 'j' and the sanitizer removes the javascript: link.
    monkeypatch.chdir(project.root)
    project.write(f"{P}/entity.md", f"---\n{GOOD}\n---\nA [link](&#106;avascript:alert(1)).\n")
    assert run_relative(project).lines == [
        f"{P}/entity.md:5: warning: link with the scheme 'javascript:' will be removed: "
        "only http, https and mailto links are allowed"
    ]


def test_a_file_named_to_check_that_does_not_exist_is_not_found(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    result = run_cli("check", "nope.md")
    assert (result.code, result.lines) == (1, ["nope.md: error: file not found"])


def test_strict_turns_warnings_into_errors(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write(f"{P}/extra.md", f"---\n{GOOD}\nwriter: Me\n---\nx\n")
    assert run_relative(project).code == 0
    from conftest import run_cli

    strict = run_cli("check", "--content", "content", "--config", "site_config", "--strict")
    assert strict.code == 1
    assert strict.lines == [
        f"{P}/extra.md:4: error: unknown field 'writer' "
        "(known fields: author, autolink, cities, corrections, digest, draft, key, language, origin, people, published, sources, tags, title, updated)"
    ]


def test_same_slug_same_day_names_both_files(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.entry("2022/03/03/blasts.md", "title: A\npublished: 2022-03-03T10:00:00+02:00")
    project.entry("elsewhere/blasts.md", "title: B\npublished: 2022-03-03T11:00:00+02:00")
    result = run_relative(project)
    assert result.code == 1
    assert result.lines == [
        "content/elsewhere/blasts.md: error: entry 'blasts' on 2022-03-03 is also "
        "content/2022/03/03/blasts.md; two entries of one day need different file names"
    ]


def test_same_slug_on_different_days_is_fine(project: Project) -> None:
    project.entry("2022/03/03/blasts.md", "title: A\npublished: 2022-03-03T10:00:00+02:00")
    project.entry("2022/03/04/blasts.md", "title: B\npublished: 2022-03-04T10:00:00+02:00")
    assert project.check().code == 0


def test_settings_problems_are_reported(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write("site_config/settings.yml", "title: T\nsite_url: ftp://x\ntimezone: Mars/Base\n")
    result = run_relative(project)
    assert result.code == 1
    assert result.lines == [
        "site_config/settings.yml:2: error: 'site_url' must be an http:// or https:// URL, "
        "like https://example.org/briefings/: 'ftp://x'",
        "site_config/settings.yml:3: error: unknown time zone 'Mars/Base' (use an IANA name like Europe/Kyiv)",
    ]


@pytest.mark.parametrize("written", ["https://newsroom.github.io/briefings/index.html", "https://newsroom.github.io/briefings/Home.HTM/"])
def test_a_site_url_that_names_a_page_is_an_error(project: Project, monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    # Every address and feed id of the site is made from it: .../index.html/2022/03/03/ leads nowhere.
    monkeypatch.chdir(project.root)
    project.write("site_config/settings.yml", f"title: T\nsite_url: {written}\ntimezone: Europe/Kyiv\n")
    page = written.rstrip("/").rsplit("/", 1)[1]
    for result in (run_relative(project), project.build()):
        assert [line.replace(str(project.root) + "/", "") for line in result.lines] == [
            f"site_config/settings.yml:2: error: 'site_url' ends with the name of a page ({page}): give the address of "
            "the folder the site is published at, https://newsroom.github.io/briefings/"
        ]
        assert result.code == 1


def test_the_entries_are_checked_beside_wrong_settings(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write("site_config/settings.yml", "title: T\nsite_url: https://x.org/\ntimezone: Europe/Kiev2\nfeed_size: 0\n")
    project.write(f"{P}/no-time.md", "---\ntitle: x\n---\nx\n")
    project.write(f"{P}/no-offset.md", "---\ntitle: y\npublished: 2022-03-03T10:00\n---\ny\n")
    expected = [  # the settings first: a mistake there can cause others
        "site_config/settings.yml:3: error: unknown time zone 'Europe/Kiev2' (use an IANA name like Europe/Kyiv)",
        "site_config/settings.yml:4: error: 'feed_size': 0 is less than the minimum of 1",
        f"{P}/no-offset.md:3: error: 'published' has no UTC offset: Kyiv was at +02:00 on 2022-03-03, so if 10:00 "
        "is Kyiv time, write published: 2022-03-03T10:00+02:00 (or end it with Z for UTC)",
        f"{P}/no-time.md:2: error: missing required field 'published'",
    ]
    for result in (run_relative(project), run_cli("check", f"{P}/no-time.md", f"{P}/no-offset.md")):
        assert (result.code, result.lines) == (1, expected)


def test_unknown_time_zone(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write("site_config/settings.yml", "title: T\nsite_url: https://x.org/\ntimezone: Mars/Base\n")
    assert run_relative(project).lines == [
        "site_config/settings.yml:3: error: unknown time zone 'Mars/Base' (use an IANA name like Europe/Kyiv)"
    ]


def test_registry_alias_shared_by_two_entries(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write("site_config/cities.yml", "- name: Kyiv\n  aliases: [Kiev]\n- name: Kievo\n  aliases: [kiev]\n")
    assert run_relative(project).lines == [
        "site_config/cities.yml:3: error: name 'kiev' belongs to both 'Kyiv' and 'Kievo'"
    ]


def test_a_wrong_field_of_a_registry_keeps_its_other_blocks_and_names(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write("site_config/cities.yml", "- name: Kyiv\n  population: 2900000\n- name: Kharkiv\n  aliases: [Kyiv]\n"
                  "- name: Lviv\n  coordinates: [100, 24]\n")  # fmt: skip
    project.write(f"{P}/named.md", f"---\n{GOOD}\ncities: [Kyiv, Kharkiv, Lviv]\n---\nx\n")
    assert run_relative(project).lines == [
        "site_config/cities.yml:2: error: unknown field 'population' "
        "(known fields: aliases, coordinates, country, description, name, region, role)",
        "site_config/cities.yml:3: error: name 'Kyiv' belongs to both 'Kyiv' and 'Kharkiv'",
        "site_config/cities.yml:6: error: item 1 of 'coordinates' of item 3 of the list: 100 is greater than the maximum of 90",
    ]


def test_near_miss_file_is_not_dropped_silently(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write(f"{P}/notes.markdown", "---\ntitle: x\n---\n")
    assert run_relative(project).lines == [
        f"{P}/notes.markdown: warning: not read as an entry, nor published: entry files end in '.md'"
    ]


def test_a_file_without_a_suffix_that_starts_as_an_entry_is_named(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write(f"{P}/sirens", f"---\n{GOOD}\n---\nx\n")
    project.write(f"{P}/LICENSE", "Text that is no entry.\n")  # no entry, and not published either
    assert run_relative(project).lines == [
        f"{P}/LICENSE: warning: {NOT_PUBLISHED}",
        f"{P}/sirens: warning: not read as an entry, nor published: entry files end in '.md'",
    ]


@pytest.mark.parametrize("folder", [".", "content", "./content", "content/", "absolute"])
def test_entry_files_are_named_as_pathlib_names_them(project: Project, monkeypatch: pytest.MonkeyPatch, folder: str) -> None:
    """Found files are kept as strings (cheaper than Path objects at 20,000 entries), but
    messages and caches must name them as ``str(Path(...))`` does, whatever the folder's spelling."""
    from pathlib import Path

    from generator.entries import find_content_files
    from generator.problems import ProblemLog

    project.write("content/2022/03/03/b.md", f"---\n{GOOD}\n---\n")
    project.write("content/2022/03/03/a.md", f"---\n{GOOD}\n---\n")
    monkeypatch.chdir(project.content if folder == "." else project.root)
    content = project.content if folder == "absolute" else Path(folder)
    found = find_content_files(content, ProblemLog()).entries
    assert found == [str(content / "2022/03/03/a.md"), str(content / "2022/03/03/b.md")]


def test_symlink_is_refused(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    target = project.write("outside.md", f"---\n{GOOD}\n---\n")
    (project.content / "link.md").symlink_to(target)
    result = run_relative(project)
    assert result.code == 1
    assert result.lines == ["content/link.md: error: symbolic links are not allowed in content"]


def test_valid_archive_exits_zero(project: Project) -> None:
    project.entry("2022/03/03/fine.md", GOOD)
    result = project.check()
    assert (result.code, result.out) == (0, "")
    assert "ok: 1 entry on 1 day" in result.err


def test_an_entry_in_the_future_is_a_warning(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write(f"{P}/future.md", "---\ntitle: Soon\npublished: 2099-03-03T10:00:00+02:00\n---\nx\n")
    result = run_relative(project)
    assert result.code == 0
    assert f"{P}/future.md:3: warning: 'published' is in the future (2099-03-03T10:00:00+02:00); check the date" in result.lines


def test_an_update_or_correction_in_the_future_is_a_warning(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The feeds take an item's last change from them: a year typo there dates the whole feed."""
    monkeypatch.chdir(project.root)
    project.write(f"{P}/later.md", f"---\n{GOOD}\nupdated: 2099-03-05T08:10:00+02:00\ncorrections:\n"
                  "  - at: 2022-03-03T11:00:00+02:00\n    text: Fixed.\n  - at: '2100-03-05T09:00:00+02:00'\n    text: Again.\n"
                  "---\nx\n")  # fmt: skip
    result = run_relative(project)
    assert (result.code, result.lines) == (0, [
        f"{P}/later.md:4: warning: 'updated' is in the future (2099-03-05T08:10:00+02:00); check the date",
        f"{P}/later.md:8: warning: a correction's 'at' is in the future (2100-03-05T09:00:00+02:00); check the date",
    ])  # fmt: skip


def test_a_draft_in_the_future_is_a_warning_though_no_day_lists_it(project: Project) -> None:
    project.write("content/2022/03/03/soon.md", "---\ntitle: Soon\npublished: 2099-03-03T10:00:00+02:00\ndraft: true\n---\nx\n")
    project.write("content/2022/03/03/now.md", "---\ntitle: Now\npublished: 2022-03-03T10:00:00+02:00\n---\nx\n")
    for result in (project.build(), project.build()):  # the second reads the days the first kept
        warned = [line for line in result.lines if "in the future" in line]
        assert warned == [f"{project.content}/2022/03/03/soon.md:3: warning: 'published' is in the future "
                          "(2099-03-03T10:00:00+02:00); check the date"]  # fmt: skip


def test_a_five_megabyte_body_is_refused_quickly(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    text = f"---\n{GOOD}\n---\n" + "word " * 1_000_000
    project.write(f"{P}/huge.md", text)
    size = len(text.encode())
    assert run_relative(project).lines == [
        f"{P}/huge.md: error: file is {size:,} bytes; an entry may be at most 1,000,000 bytes"
    ]


def test_yaml_bomb_is_refused_at_the_first_alias(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)
    )
    project.write(f"{P}/bomb.md", f"---\n{bomb}---\nx\n")
    assert run_relative(project).lines == [f"{P}/bomb.md:2: error: YAML anchors (&name) are not allowed"]


def test_mixed_offsets_sort_by_instant_on_the_local_day(project: Project) -> None:
    project.entry("2022/03/03/z.md", "title: Z\npublished: 2022-03-03T08:00:00Z")  # 10:00 in Kyiv
    project.entry("2022/03/03/ny.md", "title: NY\npublished: 2022-03-03T02:30:00-05:00")  # 09:30 in Kyiv
    project.entry("2022/03/03/kyiv.md", "title: Kyiv\npublished: 2022-03-03T09:45:00+02:00")
    from generator.site import load_archive

    archive, _ = load_archive(project.content, project.config)
    assert [e.slug for e in archive.days[0].entries] == ["ny", "kyiv", "z"]


def test_registry_coordinates_are_checked(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.write("site_config/cities.yml", "- name: Kyiv\n  coordinates: [100, 30.5]\n")
    assert run_relative(project).lines == [
        "site_config/cities.yml:2: error: item 1 of 'coordinates' of item 1 of the list: 100 is greater than the maximum of 90"
    ]


def test_registry_coordinates_that_are_no_numbers_are_refused(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    # YAML reads .nan as a number, which no bound stops, and which makes the GeoJSON no JSON at all.
    monkeypatch.chdir(project.root)
    project.write("site_config/cities.yml", "- name: Kyiv\n  coordinates: [.nan, 30.5]\n")
    assert run_relative(project).lines == [
        "site_config/cities.yml:2: error: 'coordinates' of item 1 of the list must be two numbers, latitude and "
        "longitude, not [nan, 30.5]"
    ]


def test_the_program_exits_with_the_code_and_every_line(project: Project) -> None:
    """``python -m generator`` leaves with os._exit: nothing printed may be lost on the way."""
    for name, text, _ in CASES:
        project.write(f"{P}/{name}", distinct(name, text))
    command = [sys.executable, "-m", "generator", "check", "--content", "content", "--config", "site_config"]
    done = subprocess.run(command, cwd=project.root, capture_output=True, text=True)
    assert done.returncode == 1
    lines = [line for _, _, expected in CASES for line in printed(expected)]
    errors, warnings = sum(": error: " in l for l in lines), sum(": warning: " in l for l in lines)
    assert sorted(done.stdout.splitlines()) == sorted(lines)
    assert errors > 1 and warnings > 1
    assert done.stderr == f"{errors} errors, {warnings} warnings\n"


def test_times_with_one_offset_share_one_tzinfo(project: Project) -> None:
    """Shared tzinfo objects make sorting thousands of entries cheap; every time is in the site's zone,
    as every page, feed and data file gives it, whatever offset it was written with."""
    from generator.site import load_archive

    for name, moment in [("a", "2022-03-03T09:00:00+02:00"), ("b", "2022-03-03T10:00:00+02:00"), ("c", "2022-03-03T07:30:00Z")]:
        project.write(f"content/2022/03/03/{name}.md", f"---\ntitle: {name}\npublished: {moment}\n---\n")
    archive, _ = load_archive(project.content, project.config)
    a, c, b = archive.entries
    assert a.published.tzinfo is b.published.tzinfo is c.published.tzinfo
    assert [e.published.isoformat() for e in (a, c, b)] == [
        "2022-03-03T09:00:00+02:00", "2022-03-03T09:30:00+02:00", "2022-03-03T10:00:00+02:00",
    ]  # fmt: skip


def test_a_named_pipe_is_reported_not_waited_for(project: Project) -> None:
    # Reading a pipe would wait for a writer forever: the check runs apart, with a time limit.
    import os

    (project.content / "2022/03/03").mkdir(parents=True, exist_ok=True)
    os.mkfifo(project.content / "2022/03/03/pipe.md")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--content", "content", "--config", "site_config"],
        cwd=project.root, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.stdout.splitlines() == ["content/2022/03/03/pipe.md: error: could not be read: not a regular file"]
    assert done.returncode == 1


def test_a_content_folder_given_as_a_file_is_told_so(project: Project) -> None:
    (project.root / "README.md").write_text("A file.\n", "utf-8")
    result = run_cli("check", "--content", project.root / "README.md", "--config", project.config)
    assert result.code == 1
    assert result.lines[0] == f"{project.root / 'README.md'}: error: the content folder is a file: give the folder that holds the entries, like content/"


def test_a_registry_that_cannot_be_read_is_told_first_and_alone(project: Project) -> None:
    """Every city would be "unknown" while cities.yml cannot be read: the registry's own error is what to fix."""
    project.write("site_config/cities.yml", "- name: Kyiv\n- name: Irpin\n  description: Commuter town: north-west of Kyiv\n")
    project.entry("2022/03/03/a.md", f"{GOOD}\ncities: [Kyiv]", "Sirens in Kyiv.")
    project.entry("2022/03/03/b.md", f"{GOOD}\ncities: [Kharkiv]", "Shelling in Kharkiv.")
    result = project.check("--strict")
    assert (result.code, result.lines) == (1, [
        f"{project.config / 'cities.yml'}:3: error: the value of 'description' has ': ' in it, which YAML reads as a "
        "new field: put the whole value in quotes: description: \"Commuter town: north-west of Kyiv\"",
    ])  # fmt: skip
