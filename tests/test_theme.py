"""The default theme in the package, a project's templates/ over it, and site.yaml theme settings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path


def built(cli, root: Path, out: Path) -> Path:
    result = cli("build", "--root", root, "--out", out)
    assert result.exit_code == 0, result.stderr
    return out


def add_settings(root: Path, text: str) -> None:
    site_yaml = root / "site_src/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + text)


def stylesheet(out: Path, page: str, name: str) -> str:
    html = (out / page).read_text()
    href = re.search(rf'href="/(assets/{name}\.[0-9a-f]{{10}}\.css)"', html)
    assert href, f"{page} links no {name} stylesheet"
    return (out / href.group(1)).read_text()


def test_a_project_template_overrides_one_theme_file_and_can_extend_it(cli, make_site, tmp_path):
    root = make_site({"templates/explainer.html": '{% extends "theme/explainer.html" %}{% block main %}<p>house</p>{{ super() }}{% endblock %}'})
    out = built(cli, root, tmp_path / "out")
    page = (out / "explainers/lane2/index.html").read_text()
    assert "<p>house</p>" in page and '<article class="explainer' in page  # the override and the theme's own block
    assert '<a class="skip-link" href="#main">' in page  # base.html still comes from the theme


def theme_only_site(make_site, data_page_settings: str = "") -> Path:
    """The test site with no templates/ folder: the theme's pages, its data page for the
    timeline (whose template is the project's), and its record.html for every record."""
    root = make_site()
    shutil.rmtree(root / "templates")
    site_yaml = root / "site_src/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("template: timeline.html", "template: data.html").replace("url: timeline/", "url: data/")
                         .replace("    description: Every event.\n", "    description: Every event.\n" + data_page_settings))
    models = root / "site_src/models.py"
    models.write_text(models.read_text().replace('template="contract.html"', 'template="record.html"').replace('template="organization.html"', 'template="record.html"'))
    return root


def test_a_site_without_templates_builds_from_the_theme_alone(cli, make_site, tmp_path):
    out = built(cli, theme_only_site(make_site), tmp_path / "out")
    record = (out / "contracts/lane2-spacex/index.html").read_text()
    assert "<h1>SpaceX Lane 2 award</h1>" in record and "$5.9 billion" in record
    assert (out / "data/contracts.csv").is_file()


def test_theme_settings_become_a_stylesheet_over_the_theme(cli, make_site, tmp_path):
    root = make_site()
    add_settings(root, 'theme:\n  accent: "#0b6e4f"\n  accent_dark: "#6fd3ae"\n  font: "Georgia, serif"\n  logo: logo.svg\n')
    (root / "site_src/static/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    out = built(cli, root, tmp_path / "out")
    css = stylesheet(out, "index.html", "theme")
    # The accents are the halves of site.css's --accent: light-dark(...), so they follow the reader's choice.
    assert ":root { --sans: Georgia, serif; --accent-light: #0b6e4f; --accent-dark: #6fd3ae; }" in css
    assert "prefers-color-scheme" not in css
    assert '<img class="brand-logo" src="/logo.svg" alt="" aria-hidden="true"' in (out / "index.html").read_text()
    assert cli("build", "--root", root, "--out", tmp_path / "strict", "--strict").exit_code == 0  # a decorative logo passes the checks


def test_without_theme_settings_the_theme_stylesheet_only_serves_the_fonts(cli, make_site, tmp_path):
    out = built(cli, make_site(), tmp_path / "out")
    css = stylesheet(out, "index.html", "theme")
    assert css.startswith("@font-face {") and ":root" not in css and "--accent" not in css


def test_a_font_setting_cannot_break_out_of_its_css_rule(cli, make_site):
    root = make_site()
    add_settings(root, 'theme:\n  font: "x; } body { display: none"\n')
    result = cli("build", "--root", root)
    assert result.exit_code == 1 and "site_src/site.yaml:" in result.stderr and "theme.font" in result.stderr


def test_the_chart_theme_setting_reaches_every_chart_image_and_the_browser(cli, make_site, tmp_path):
    root = make_site()
    add_settings(root, 'theme:\n  chart:\n    axis: {labelFontSize: 15}\n')
    out = built(cli, root, tmp_path / "out")
    for variant in ("chart", "chart-dark", "chart-narrow", "chart-narrow-dark"):
        assert '"labelFontSize": 15' in (out / f"embed/lane2-missions/{variant}.vl.json").read_text(), variant
    assert 'font-size="15px"' in (out / "embed/lane2-missions/inline-narrow.svg").read_text()


def test_the_theme_favicon_is_the_fallback(cli, make_site, tmp_path):
    root = make_site({"site_src/static/favicon.svg": None})
    out = built(cli, root, tmp_path / "out")
    theme_icon = (Path(__file__).resolve().parent.parent / "generator/theme/static/favicon.svg").read_bytes()
    assert (out / "favicon.svg").read_bytes() == theme_icon
    own = built(cli, make_site({"site_src/static/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"}), tmp_path / "own")
    assert (own / "favicon.svg").read_text() == "<svg xmlns='http://www.w3.org/2000/svg'/>"


def test_a_page_with_nav_false_is_built_but_not_listed_in_the_footer_or_on_the_home_page(cli, make_site, tmp_path):
    out = built(cli, theme_only_site(make_site, "    nav: false\n"), tmp_path / "out")
    assert (out / "data/index.html").is_file()
    for page in ("index.html", "sources/index.html"):
        footer = (out / page).read_text().split('<footer class="site-footer">')[1]
        assert '<a href="/sources/">Sources</a>' in footer and 'href="/data/"' not in footer
    home = (out / "index.html").read_text()
    assert 'href="/sources/">Sources</a>: Every source.' in home and 'href="/data/"' not in home


def test_every_page_applies_the_stored_theme_from_a_small_blocking_script_before_its_stylesheets(cli, make_site, tmp_path):
    """Blocking (no defer or async) and before the stylesheets, so the first paint has the choice;
    small, since every page waits for it. Embed pages read ?theme= instead (data-from-url)."""
    out = built(cli, make_site(), tmp_path / "out")
    for page, tag in (("index.html", "<script src=\"{}\"></script>"), ("embed/lane2-missions/index.html", "<script src=\"{}\" data-from-url></script>")):
        html = (out / page).read_text()
        src = re.search(r'src="(/assets/theme-choice\.[0-9a-f]{10}\.js)"', html).group(1)
        assert tag.format(src) in html
        assert html.index(src) < html.index('rel="stylesheet"')
        script = (out / src.lstrip("/")).read_bytes()
        assert len(script) < 1024 and b"explainer-theme" in script
