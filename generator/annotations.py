"""Problems as GitHub Actions workflow commands, so they show on a pull request's diff.

GitHub reads ``::error file=PATH,line=N::message``; in the message ``%``, CR
and LF must be escaped, and in a property also ``:`` and ``,``, which would
otherwise end the property.
"""

from __future__ import annotations

from .problems import Problem


def annotation(problem: Problem) -> str:
    properties = [f"file={escape_property(problem.path)}"]
    if problem.line is not None:
        properties.append(f"line={problem.line}")
    return f"::{problem.severity.value} {','.join(properties)}::{escape_data(problem.message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
