"""What a build imports: a rebuild at 20,000 entries has two seconds, and imports are part of them."""

from __future__ import annotations

import subprocess
import sys


def test_a_build_does_not_import_jsonschema_until_a_check_fails() -> None:
    code = (
        "import sys, generator.build, generator.cli, generator.schema as s\n"
        "from generator.yamlsafe import Document\n"
        "assert not s.validate('registry', Document([{'name': 'Kyiv'}], {}))\n"
        "assert 'jsonschema' not in sys.modules\n"
        "assert s.validate('registry', Document([{'name': 1}], {(): 1}))\n"
        "assert 'jsonschema' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_build_does_not_import_what_only_check_uses() -> None:
    code = "import sys, generator.build, generator.cli\nassert 'rapidfuzz' not in sys.modules and 'generator.teaching' not in sys.modules\n"
    subprocess.run([sys.executable, "-c", code], check=True)
