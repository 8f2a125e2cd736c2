"""The GitHub workflows and the pre-commit hook: safe for forks, deploy only main."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
PR = WORKFLOWS / "pr.yml"
DEPLOY = WORKFLOWS / "deploy.yml"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as the boolean true.
    found = workflow.get("on", workflow.get(True))
    return {found: None} if isinstance(found, str) else found


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def uses(workflow: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(workflow) if "uses" in step]


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_workflow_parses_and_pins_its_actions(path: Path) -> None:
    workflow = load(path)
    assert workflow["jobs"]
    for step in steps(workflow):
        if "uses" in step:
            assert re.fullmatch(r"actions/[\w-]+@v\d+", step["uses"]), step["uses"]


def test_pr_workflow_runs_on_pull_request_never_pull_request_target() -> None:
    assert set(triggers(load(PR))) == {"pull_request", "merge_group"}  # a merge queue's runs too
    data = yaml.safe_dump(load(PR))  # the comments may name what is avoided; the data may not
    assert "pull_request_target" not in data
    assert "workflow_run" not in data


def test_pr_workflow_token_is_read_only() -> None:
    workflow = load(PR)
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        assert set(job.get("permissions", {}).values()) <= {"read", "none"}


def test_pr_workflow_uses_no_secrets_and_keeps_no_credentials() -> None:
    text = PR.read_text("utf-8")
    assert "secrets." not in text
    assert "secrets[" not in text
    for step in steps(load(PR)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_pr_workflow_installs_with_make_checks_strictly_tests_and_builds() -> None:
    commands = runs(load(PR))
    assert "make .venv/.dev-installed" in commands
    assert '.venv/bin/briefings check --strict --format github --since "$base"' in commands
    assert 'git update-ref "refs/heads/$base" HEAD^1' in commands  # the base branch by its name: "already published (in main)"
    assert ">> \"$GITHUB_STEP_SUMMARY\"" in commands  # every problem, past the ten annotations GitHub shows
    assert "make test" in commands
    assert "make site" in commands


def test_pr_workflow_compares_published_updates_with_the_base_branch() -> None:
    # --since HEAD^1 reads the merge commit's first parent: the checkout must hold it.
    check = load(PR)["jobs"]["check"]
    (checkout,) = [step for step in check["steps"] if step.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 2


def test_pr_workflow_flags_code_theme_and_workflow_changes() -> None:
    script = runs(load(PR))
    pattern = re.search(r"protected='([^']+)'", script).group(1)
    for flagged in ("mkdocs.yml", "theme/main.html", "generator/cli.py", ".github/workflows/pr.yml", "Makefile",
                    "tests/conftest.py", ".ci/run", "site_config/settings.yml", "content/CNAME", "content/_redirects"):  # fmt: skip
        assert re.search(pattern, flagged), flagged
    for allowed in ("content/2022/03/03/a.md", "content/2022/03/03/map.png", "site_config/cities.yml", "CONTRIBUTING.md"):
        assert not re.search(pattern, allowed), allowed
    assert "exit 1" in script


def test_pr_workflow_flags_a_protected_file_whatever_letters_its_name_holds(tmp_path: Path) -> None:
    """The listing as the workflow runs it, in a real repository: a name with a letter outside
    ASCII, or a character git quotes, is flagged as any other."""
    script = runs(load(PR))
    listing = re.search(r"(protected=.*\n)(?:.*\n)*?\s*(flagged=.*)", script)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "README.md").write_text("base\n")
    subprocess.run([*git, "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qm", "base"], check=True)
    for name in ("generator/évil.py", ".github/workflows/dé.yml", "generator/a\tb.py", "content/2022/03/03/ок.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    subprocess.run([*git, "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qm", "change"], check=True)
    run = subprocess.run(["bash", "-c", listing.group(1) + listing.group(2) + '\nprintf "%s\\n" "$flagged"'],
                         cwd=tmp_path, capture_output=True, text=True, check=True)  # fmt: skip
    assert sorted(run.stdout.splitlines()) == ['"generator/a\\tb.py"', ".github/workflows/dé.yml", "generator/évil.py"]


def test_pr_workflow_runs_the_test_suite_when_more_than_entries_and_registries_change(tmp_path: Path) -> None:
    """The suite tests the generator: a pull request of entries is checked and built, not held up by it."""
    (step,) = [s for s in load(PR)["jobs"]["check"]["steps"] if s.get("id") == "changes"]
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(tmp_path)]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "README.md").write_text("base\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    for changed, code in ((["content/2022/03/03/a.md", "site_config/cities.yml"], False),
                          (["content/2022/03/03/b.md", "generator/cli.py"], True), (["content/CNAME"], True)):  # fmt: skip
        for name in changed:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(f"{name}\n")
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-qm", "change"], check=True)
        output = tmp_path / "output"
        output.write_text("")
        subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env={**os.environ, "GITHUB_OUTPUT": str(output)}, check=True)
        assert ("code=true" in output.read_text()) is code, changed
        output.unlink()


def test_deploy_runs_of_other_branches_never_take_main_s_place() -> None:
    assert load(DEPLOY)["concurrency"]["group"] == "pages-${{ github.ref }}"


def test_codeowners_names_every_path_the_scope_job_flags() -> None:
    owned = [line.split()[1] for line in (REPO / ".github" / "CODEOWNERS").read_text("utf-8").splitlines() if line.startswith("# /")]
    pattern = re.search(r"protected='([^']+)'", runs(load(PR))).group(1)
    for path in owned:
        assert re.search(pattern, path.lstrip("/").replace("*", "-dev")), path


def test_pr_workflow_interpolates_no_pull_request_text_into_scripts() -> None:
    # Titles, branch names and bodies are attacker-controlled: they may reach a script only through env.
    assert "${{" not in runs(load(PR))


def test_deploy_runs_only_for_main() -> None:
    workflow = load(DEPLOY)
    on = triggers(workflow)
    assert set(on) == {"push", "workflow_dispatch"}
    assert on["push"] == {"branches": ["main"]}
    for job in workflow["jobs"].values():
        # A manual run can be started on any branch; the jobs themselves refuse anything but main.
        assert job["if"] == "github.ref == 'refs/heads/main'"


def test_deploy_uses_the_official_pages_actions_with_least_permissions() -> None:
    workflow = load(DEPLOY)
    assert workflow["permissions"] == {"contents": "read"}
    # The build runs packages' code: it can publish nothing; only the deployment can.
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses(workflow))
    assert "secrets." not in DEPLOY.read_text("utf-8")
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_pre_commit_hook_checks_staged_entries_with_the_local_command() -> None:
    config = load(REPO / ".pre-commit-config.yaml")
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    entries, registries = repo["hooks"]
    for hook in (entries, registries):
        assert hook["language"] == "system"
        assert hook["entry"] == ".venv/bin/briefings check --strict"
    assert re.search(entries["files"], "content/2022/03/03/a.md")
    assert not re.search(entries["files"], "README.md")
    assert entries.get("pass_filenames", True) is True
    assert re.search(registries["files"], "site_config/cities.yml")
    assert registries["pass_filenames"] is False


def test_pull_request_template_has_a_checklist() -> None:
    text = (REPO / ".github" / "pull_request_template.md").read_text("utf-8")
    assert len(re.findall(r"^- \[ \] ", text, flags=re.M)) >= 4
    assert "briefings check --strict" in text


def test_deploy_stops_while_site_url_is_the_samples_address(tmp_path: Path) -> None:
    (step,) = [s for s in load(DEPLOY)["jobs"]["build"]["steps"] if s.get("name") == "Check the site's address"]
    settings = tmp_path / "site_config" / "settings.yml"
    settings.parent.mkdir()
    for url, code in (("https://briefings.example.org/", 1), ('"https://example.com/live/"', 1),
                      ("'https://briefings.example.org/'", 1), ("http://EXAMPLE.org/", 1),
                      ("https://news.example.ua/briefings/", 0), ("https://USER.github.io/REPO/", 0)):  # fmt: skip
        settings.write_text(f"title: T\nsite_url: {url}\n", "utf-8")
        run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, capture_output=True, text=True)
        assert run.returncode == code, (url, run.stdout)


def test_deploy_stops_when_site_url_is_not_where_pages_publishes(tmp_path: Path) -> None:
    # configure-pages says where GitHub Pages publishes the repository: a path forgotten, or the
    # github.io address kept after adding a custom domain, would break the 404 page and the feeds.
    (step,) = [s for s in load(DEPLOY)["jobs"]["build"]["steps"] if s.get("name") == "Check the site's address"]
    assert step["env"]["PAGES_URL"] == "${{ steps.pages.outputs.base_url }}"
    settings = tmp_path / "site_config" / "settings.yml"
    settings.parent.mkdir()
    for url, pages, code in (("https://newsroom.github.io/briefings/", "https://newsroom.github.io/briefings", 0),
                             ("'https://Newsroom.github.io/briefings'", "https://newsroom.github.io/briefings", 0),
                             ("https://newsroom.github.io/briefings/  # where Pages publishes it", "https://newsroom.github.io/briefings", 0),
                             ("https://newsroom.github.io/", "https://newsroom.github.io/briefings", 1),
                             ("https://newsroom.github.io/briefings/", "https://live.newsroom.org", 1),
                             ("https://live.newsroom.org/", "", 0)):  # fmt: skip
        settings.write_text(f"title: T\nsite_url: {url}\n", "utf-8")
        run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, capture_output=True, text=True,
                             env={**os.environ, "PAGES_URL": pages})  # fmt: skip
        assert run.returncode == code, (url, pages, run.stdout)
        if code:
            assert f"GitHub Pages publishes this repository at {pages}/: set site_url to that address" in run.stdout
