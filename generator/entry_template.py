"""What ``briefings new`` writes: the front matter it fills in and the body it leaves to write.

``check`` knows the placeholder too, so an entry committed before its body was
written is caught.
"""

from __future__ import annotations

BODY_PLACEHOLDER = "Write the update here: what happened, where, and who says so."

# Shown under an empty source list, so the form of a source is on the page being edited.
SOURCES_EXAMPLE = (
    "# To add a source, delete the [] above and add lines like these, without the #:\n"
    "#   - name: Reuters\n"
    "#     url: https://www.reuters.com/"
)



def corrections_example(published: str) -> str:
    """How to add a correction later, shown at the end of the front matter: most entries never need one."""
    return (
        "# To correct the update after it is published, add lines like these, without the #,\n"
        "# with the time of the correction and what changed:\n"
        "# corrections:\n"
        f"#   - at: {published}\n"
        "#     text: An earlier version of this update gave the wrong figure."
    )


def render(*, title: str, published: str, cities: str, people: str, key: bool, author: str | None = None) -> str:
    """The text of a new entry file; every value must already be valid YAML."""
    lines = [
        "---",
        f"title: {title}",
        *([f"author: {author}"] if author is not None else []),
        f"published: {published}",
        f"cities: {cities}",
        f"people: {people}",
        "sources: []",
        SOURCES_EXAMPLE,
        "tags: []",
    ]
    if key:
        lines.append("key: true")
    lines += [corrections_example(published), "---", BODY_PLACEHOLDER, ""]
    return "\n".join(lines)
