"""`briefings import` of a Telegram channel's history, as Telegram Desktop exports it (result.json).

The export's shape is Telegram Desktop's "Machine-readable JSON": the channel's name,
type and id, and its messages, each with its time in UTC (``date_unixtime``), its
text as strings and entities, and the channel's own events as ``service`` messages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Project
from import_support import entry, entry_files, newsroom, run_import, summary

CHANNEL = "https://t.me/kharkiv_live_example"


def message(number: int, unix: int, text: object, **more: object) -> dict:
    return {"id": number, "type": "message", "date": "2022-03-03T09:40:12", "date_unixtime": str(unix),
            "from": "Kharkiv Live", "from_id": "channel1512345678", "text": text, "text_entities": [], **more}  # fmt: skip


def export(folder: Path, messages: list[dict], kind: str = "public_channel") -> Path:
    path = folder / "result.json"
    data = {"name": "Kharkiv Live", "type": kind, "id": 1512345678, "messages": messages}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    return path


SHELLING = message(
    41, 1646293212,  # 07:40:12Z: 09:40:12 in Kyiv
    ["Shelling hit the centre of Kharkiv, the regional governor said. ", {"type": "bold", "text": "Stay in shelters."},
     "\n\nSource: ", {"type": "text_link", "text": "the regional administration", "href": "https://kharkivoda.example/news/1"},
     " ", {"type": "hashtag", "text": "#Air_Raid"}],
    author="Olena Kovalenko",
)  # fmt: skip
SIRENS = message(42, 1646294700, "Sirens in Kyiv again.\nPeople are asked to go to shelters.", edited_unixtime="1646295600")
PHOTO = message(43, 1646295000, "", photo="photos/photo_1@03-03-2022_10-10-00.jpg")
PINNED = {"id": 44, "type": "service", "date": "2022-03-03T10:30:00", "date_unixtime": "1646296200", "actor": "Kharkiv Live",
          "action": "pin_message", "message_id": 41, "text": "", "text_entities": []}  # fmt: skip


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return newsroom(tmp_path)


def test_each_message_with_text_becomes_an_entry_at_its_post_s_address(project: Project, tmp_path: Path) -> None:
    result = run_import(project, export(tmp_path, [SHELLING, SIRENS, PHOTO, PINNED]), "--source-url", CHANNEL)
    assert result.code == 0, result.err
    assert entry_files(project) == ["2022/03/03/update-41.md", "2022/03/03/update-42.md"]
    front, body = entry(project, "2022/03/03/update-41.md")
    assert front == {
        "title": "Shelling hit the centre of Kharkiv, the regional governor said",
        "author": "Olena Kovalenko",  # the channel's signature for the post
        "published": "2022-03-03T09:40:12+02:00",
        "cities": ["Kharkiv"], "people": [],
        "sources": [{"name": "Kharkiv Live", "url": f"{CHANNEL}/41"}],
        "tags": ["air-raid"],
        "key": True,  # the channel pinned it
        "origin": f"{CHANNEL}/41",
        "digest": front["digest"],
    }  # fmt: skip
    assert body == (
        "Shelling hit the centre of Kharkiv, the regional governor said. **Stay in shelters.**\n\n"
        "Source: [the regional administration](https://kharkivoda.example/news/1) #Air\\_Raid"
    )
    front, body = entry(project, "2022/03/03/update-42.md")
    assert (front["published"], front["updated"]) == ("2022-03-03T10:05:00+02:00", "2022-03-03T10:20:00+02:00")
    assert body == "Sirens in Kyiv again.\\\nPeople are asked to go to shelters."  # a line break stays one
    assert "skipped messages[2] (id 43): no text, only a photo: a post without words is no update" in result.err
    assert summary(result) == "imported 1 source: 2 new, 0 updated, 0 unchanged, 0 withdrawn, 1 skipped"
    assert project.check("--strict").code == 0


def test_a_message_edited_in_a_later_export_updates_its_entry(project: Project, tmp_path: Path) -> None:
    assert run_import(project, export(tmp_path, [SIRENS]), "--source-url", CHANNEL).code == 0
    edited = {**SIRENS, "text": "Sirens in Kyiv and Kharkiv again.", "edited_unixtime": "1646297000"}
    again = run_import(project, export(tmp_path, [SIRENS | edited, SHELLING]), "--source-url", CHANNEL)
    assert again.code == 0, again.err
    assert summary(again) == "imported 1 source: 1 new, 1 updated, 0 unchanged, 0 withdrawn, 0 skipped"
    assert entry(project, "2022/03/03/update-42.md")[1] == "Sirens in Kyiv and Kharkiv again."


def test_a_public_channel_s_export_needs_its_address(project: Project, tmp_path: Path) -> None:
    result = run_import(project, export(tmp_path, [SHELLING]))
    assert result.code == 1 and entry_files(project) == []
    assert (
        f"{tmp_path / 'result.json'}: error: a Telegram export does not give a public channel's address, which each "
        "update's source link and identity need: import it with --source-url https://t.me/NAME (the channel's name "
        "as in its t.me link)"
    ) in result.err
    wrong = run_import(project, export(tmp_path, [SHELLING]), "--source-url", "t.me/kharkiv_live_example")
    assert (wrong.code, wrong.err) == (
        2, "briefings: error: --source-url must be an http:// or https:// address, like https://t.me/NAME: "
           "'t.me/kharkiv_live_example'\n"
    )  # fmt: skip


def test_a_private_channel_s_posts_are_at_its_members_addresses(project: Project, tmp_path: Path) -> None:
    assert run_import(project, export(tmp_path, [SHELLING], kind="private_channel")).code == 0
    assert entry(project, "2022/03/03/update-41.md")[0]["origin"] == "https://t.me/c/1512345678/41"


def test_a_forwarded_message_is_credited_to_its_channel_and_one_without_a_utc_time_is_skipped(project: Project, tmp_path: Path) -> None:
    forwarded = message(45, 1646297000, "Air defence is working over the city.", forwarded_from="Kharkiv Regional Administration")
    undated = {key: value for key, value in message(46, 0, "An old export's message.").items() if key != "date_unixtime"}
    result = run_import(project, export(tmp_path, [forwarded, undated]), "--source-url", CHANNEL)
    assert result.code == 0, result.err
    front, body = entry(project, "2022/03/03/update-45.md")  # the other channel's words, credited to it
    assert (front["author"], front["title"], body) == (
        "Kharkiv Regional Administration", "Air defence is working over the city", "Air defence is working over the city."
    )
    assert (
        "skipped messages[1] (id 46): no 'date_unixtime': its 'date' has no time zone; export the channel again "
        "with a recent Telegram Desktop"
    ) in result.err


def test_a_quote_and_a_block_of_code_stay_blocks_and_links_stay_links(project: Project, tmp_path: Path) -> None:
    quoted = message(47, 1646297500, [
        "The mayor said:\n", {"type": "blockquote", "text": "We are holding on.\nThe city is ours."},
        "\nSource: ", {"type": "link", "text": "t.me/kyiv_mayor_example"}, " ", {"type": "spoiler", "text": "hidden"},
        "\n", {"type": "pre", "text": "curfew 20:00-07:00", "language": ""},
    ])  # fmt: skip
    assert run_import(project, export(tmp_path, [quoted]), "--source-url", CHANNEL).code == 0
    assert entry(project, "2022/03/03/update-47.md")[1] == (
        "The mayor said:\n\n> We are holding on.\\\n> The city is ours.\n\n"
        "Source: [t.me/kyiv\\_mayor\\_example](https://t.me/kyiv_mayor_example) hidden\n\n```\ncurfew 20:00-07:00\n```"
    )


def test_a_first_line_in_bold_is_the_headline(project: Project, tmp_path: Path) -> None:
    """As channels write a post's headline: it is the entry's title, and not its first paragraph too."""
    headlined = message(48, 1646297600, ["⚡️", {"type": "bold", "text": "Missile strike on central Kharkiv"},
                                         "\n\nThe regional administration building was hit."])  # fmt: skip
    inline = message(49, 1646297700, [{"type": "bold", "text": "Important:"}, " shelters are open around the clock."])
    assert run_import(project, export(tmp_path, [headlined, inline]), "--source-url", CHANNEL).code == 0
    front, body = entry(project, "2022/03/03/update-48.md")
    assert (front["title"], body) == ("⚡️Missile strike on central Kharkiv", "The regional administration building was hit.")
    front, body = entry(project, "2022/03/03/update-49.md")  # bold words inside a line are not a headline
    assert (front["title"], body) == ("Important: shelters are open around the clock", "**Important:** shelters are open around the clock.")


@pytest.mark.parametrize(("more", "what"), [
    ({"poll": {"question": "Where are you?", "answers": []}}, "a poll"),
    ({"file": "stickers/s.webp", "media_type": "sticker"}, "a sticker"),
    ({"file": "video_files/v.mp4", "media_type": "video_file"}, "a video"),
    ({"text": [{"type": "hashtag", "text": "#Kyiv"}], "photo": "photos/p.jpg"}, "hashtags"),
])  # fmt: skip
def test_a_post_without_words_is_skipped_saying_what_it_held(project: Project, tmp_path: Path, more: dict, what: str) -> None:
    post = {**message(50, 1646297800, ""), **more}
    result = run_import(project, export(tmp_path, [post]), "--source-url", CHANNEL)
    assert result.code == 0 and entry_files(project) == []
    assert f"skipped messages[0] (id 50): no text, only {what}: a post without words is no update" in result.err


def test_a_message_deleted_from_the_channel_is_withdrawn_and_one_outside_the_export_is_not(project: Project, tmp_path: Path) -> None:
    early = message(30, 1646290000, "An early post, before the second export's span.")
    assert run_import(project, export(tmp_path, [early, SHELLING, SIRENS]), "--source-url", CHANNEL).code == 0
    # Exported again from 41 to 43: 42 was deleted; 30 was not exported this time.
    again = run_import(project, export(tmp_path, [SHELLING, PHOTO]), "--source-url", CHANNEL)
    assert again.code == 0, again.err
    assert f"withdrawn: {project.content / '2022/03/03/update-42.md'} (no longer in the live blog)" in again.lines
    assert summary(again) == "imported 1 source: 0 new, 0 updated, 1 unchanged, 1 withdrawn, 1 skipped"
    assert entry(project, "2022/03/03/update-42.md")[0]["draft"] is True
    assert "draft" not in entry(project, "2022/03/03/update-30.md")[0]
