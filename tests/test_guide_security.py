"""docs/guide/security.md: the trust boundary is written down where users look (review L9)."""

import re

from support import REPO

GUIDE = REPO / "docs" / "guide"


def links(page: str) -> set[str]:
    return set(re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", (GUIDE / page).read_text()))


def test_the_security_page_is_linked_from_the_index_and_from_deploying():
    assert "security.md" in links("README.md")
    assert "security.md" in links("deploying.md")
    assert "security.md" in links("charts.md") and "security.md" in links("collections.md")


def test_every_guide_link_leads_to_a_page():
    for page in sorted(p.name for p in GUIDE.glob("*.md")):
        for target in links(page):
            assert (GUIDE / target).is_file(), (page, target)


def test_the_page_names_what_runs_as_the_user_and_when():
    text = " ".join((GUIDE / "security.md").read_text().split())
    for thing in ("site_src/charts/*.py", "site_src/models.py", "templates/**", "Symbolic links"):
        assert thing in text, thing
    for command in ("`build`", "`serve`", "`check`", "`charts`", "`embed`"):
        assert command in text, command
    assert "Never build untrusted branches with secrets in the environment." in text
    assert "pull requests from forks, deploy previews" in text
    assert "## The live preview" in text and "`127.0.0.1` only" in text
