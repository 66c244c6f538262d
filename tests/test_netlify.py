"""Response headers: netlify.toml (the domain's own choices) plus the `_headers` file every build
writes (generator/headers.py: the policy, framing per section, embed and asset rules), as Netlify
combines them (tests/netlify_rules.py). Framing is checked against every page the build makes,
for this site and for the starter site, so no section can be left frameable by a hand-kept list."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from generator.errors import BuildFailed
from generator.headers import headers_file
from generator.newsite import new_site
from netlify_rules import NetlifyHeaders, parse_headers_file, parse_netlify_toml
from support import REPO

CONFIG = tomllib.loads((REPO / "netlify.toml").read_text())
HSTS = "max-age=31536000; includeSubDomains"


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("netlify") / "output"
    build(load_config(REPO, out), Cache(REPO / ".cache"))
    return out


@pytest.fixture(scope="module")
def starter_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("starter") / "site"
    new_site(root)
    build(load_config(root), Cache(root / ".cache"))
    return root / "output"


def urls(published: Path) -> list[str]:
    """The URL path of every page (HTML file) in a built site."""
    return sorted("/" + p.relative_to(published).as_posix().removesuffix("index.html") for p in published.rglob("*.html"))


def test_build_is_strict_and_publishes_output():
    assert CONFIG["build"]["publish"] == "output"
    assert "explainer build --strict" in CONFIG["build"]["command"]
    assert CONFIG["build"]["environment"]["PYTHON_VERSION"] == "3.11"


def test_https_only_for_a_year_with_subdomains_and_no_preload(real_site):
    headers = NetlifyHeaders.of(real_site, REPO / "netlify.toml")
    for path in ("/", "/explainers/x/", "/embed/x/", "/assets/site.1.css"):
        assert headers.sources(path)["Strict-Transport-Security"] == [HSTS], path


@pytest.mark.parametrize("site", ["real_site", "starter_site"])
def test_every_page_but_embeds_refuses_framing_and_embeds_allow_it(site, request):
    published = request.getfixturevalue(site)
    headers = NetlifyHeaders.of(published, REPO / "netlify.toml")
    pages = urls(published)
    assert len([u for u in pages if not u.startswith("/embed/")]) >= 5 and any(u.startswith("/embed/") for u in pages)
    for url in pages:
        found = headers.sources(url)
        policies = found["Content-Security-Policy"]
        if url.startswith("/embed/"):
            assert "X-Frame-Options" not in found and not any("frame-ancestors" in p for p in policies), url
            assert found["Access-Control-Allow-Origin"] == ["*"], url
        else:
            assert found["X-Frame-Options"] == ["DENY"], url
            assert "frame-ancestors 'none'" in policies, url


@pytest.mark.parametrize("site", ["real_site", "starter_site"])
def test_one_value_per_header_and_no_header_in_both_files(site, request):
    published = request.getfixturevalue(site)
    generated = parse_headers_file((published / "_headers").read_text())
    configured = parse_netlify_toml(REPO / "netlify.toml")
    assert not {name.lower() for _, values in generated for name, _ in values} & {name.lower() for _, values in configured for name, _ in values}
    headers = NetlifyHeaders(generated, configured)
    for url in urls(published) + ["/assets/site.1.css", "/feed.xml"]:
        for name, values in headers.sources(url).items():
            assert len(values) == 1 or name == "Content-Security-Policy", (url, name, values)


def test_scripts_and_styles_only_from_the_site_itself(real_site):
    found = NetlifyHeaders.of(real_site, REPO / "netlify.toml").sources("/explainers/x/")
    policy = found["Content-Security-Policy"][0]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in policy  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
    assert found["X-Content-Type-Options"] == ["nosniff"]
    assert found["Referrer-Policy"] == ["strict-origin-when-cross-origin"]
    assert "camera=()" in found["Permissions-Policy"][0]
    assert NetlifyHeaders.of(real_site, REPO / "netlify.toml").sources("/assets/site.1.js")["Cache-Control"] == ["public, max-age=31536000, immutable"]


def test_a_section_a_newsroom_adds_is_covered_without_editing_anything():
    rules = dict(parse_headers_file(headers_file(["index.html", "court-cases/a/index.html", "embed/c/index.html",
                                                  "press.html", "feed.xml", "images/logo.png"]).decode()))
    assert rules["/court-cases/*"] == [("X-Frame-Options", "DENY"), ("Content-Security-Policy", "frame-ancestors 'none'")]
    assert rules["/press.html"] == rules["/"] == rules["/index.html"] == rules["/court-cases/*"]
    assert rules["/images/*"] == rules["/court-cases/*"]
    assert rules["/embed/*"] == [("Access-Control-Allow-Origin", "*")]
    assert "/feed.xml" not in rules  # not a page; the site-wide rule covers it


def test_the_headers_file_is_the_same_bytes_for_the_same_paths_in_any_order():
    paths = ["b/index.html", "a/index.html", "index.html", "embed/x/index.html", "assets/site.1.css"]
    assert headers_file(paths) == headers_file(list(reversed(paths)))


def test_a_headers_file_in_static_is_refused_where_it_is(make_site):
    root = make_site({"site_src/static/_headers": "/*\n  X-Frame-Options: SAMEORIGIN\n"})
    with pytest.raises(BuildFailed) as failed:
        build(load_config(root), Cache(None))
    assert [p.format() for p in failed.value.problems] == [
        "site_src/static/_headers: error: '_headers' would be written twice: by the static file "
        "(site_src/static/_headers) and by the response headers file; move or remove one"]
