"""netlify.toml: publish folder, strict build, and the security headers."""

import tomllib

from support import REPO

CONFIG = tomllib.loads((REPO / "netlify.toml").read_text())
RULES = CONFIG["headers"]


def headers_for(path: str) -> dict[str, list[str]]:
    """Every header value Netlify would send for `path` (all matching rules apply)."""
    found: dict[str, list[str]] = {}
    for rule in RULES:
        pattern = rule["for"]
        matches = path == pattern or (pattern.endswith("/*") and path.startswith(pattern[:-1])) or pattern == "/*"
        if matches:
            for name, value in rule["values"].items():
                found.setdefault(name, []).append(value)
    return found


def test_build_is_strict_and_publishes_output():
    assert CONFIG["build"]["publish"] == "output"
    assert "explainer build --strict" in CONFIG["build"]["command"]
    assert CONFIG["build"]["environment"]["PYTHON_VERSION"] == "3.11"


def test_no_header_is_set_twice_for_one_path_except_layered_csp():
    for path in ("/", "/explainers/x/", "/embed/x/", "/assets/site.1.css", "/contracts/x/"):
        for name, values in headers_for(path).items():
            assert len(values) == 1 or name == "Content-Security-Policy", (path, name)


def test_pages_cannot_be_framed_but_embeds_can():
    for path in ("/", "/explainers/x/", "/contracts/x/", "/organizations/x/", "/timeline/", "/launches/",
                 "/glossary/", "/sources/", "/watch/", "/how-we-know/", "/404.html"):
        assert headers_for(path)["X-Frame-Options"] == ["DENY"], path
        assert "frame-ancestors 'none'" in headers_for(path)["Content-Security-Policy"], path
    embed = headers_for("/embed/lane2-split/")
    assert "X-Frame-Options" not in embed
    assert not any("frame-ancestors" in policy for policy in embed["Content-Security-Policy"])
    assert embed["Access-Control-Allow-Origin"] == ["*"]


def test_scripts_only_from_self_and_no_eval():
    policy = headers_for("/explainers/x/")["Content-Security-Policy"][0]
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy and "unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    for name in ("X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"):
        assert name in headers_for("/")


def test_every_top_level_section_of_the_site_is_covered(tmp_path):
    from generator.build import build
    from generator.cache import Cache
    from generator.config import load_config

    build(load_config(REPO, tmp_path / "out"), Cache(REPO / ".cache"))
    for entry in (tmp_path / "out").iterdir():
        if entry.is_dir() and entry.name not in ("embed", "assets"):
            assert headers_for(f"/{entry.name}/x")["X-Frame-Options"] == ["DENY"], entry.name
