"""Charts, cards and pages are drawn in the package's own fonts, whatever the build machine has.

The decisive test builds the minimal site in a process that cannot see a single system
font (vl-convert's font database reads FONTCONFIG_FILE, here a config whose only font
folder is empty) and gets exactly the bytes of a build that sees them all, PNGs included,
and the golden text. Before the package carried its fonts, every PNG and card differed.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

from generator import typefaces
from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from generator.workers import Label, Task, Workers
from support import REPO, copy_site, tree_bytes
from test_build import GOLDEN, text_tree

BUILD = """
import sys
from pathlib import Path
from generator.build import build
from generator.cache import Cache
from generator.config import load_config
root = Path(sys.argv[1])
build(load_config(root, root / "output"), Cache(None))
"""

PROBE = """
import sys, vl_convert
def drawn(family):
    return vl_convert.svg_to_png(f'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40">'
                                 f'<text x="4" y="30" font-size="24" font-family="{family}">Wide glyphs WWW</text></svg>')
print(drawn(sys.argv[1]) != drawn("no such family"))
"""


def hidden_fonts_env(tmp_path: Path, font_dir: Path) -> dict[str, str]:
    """An environment in which vl-convert sees only the fonts in `font_dir` (and its own).

    An empty fonts.conf would not do: with no <dir> in it, fontdb falls back to the usual
    folders (/usr/share/fonts, ~/.fonts). A config naming one folder loads that folder only.
    """
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{font_dir}</dir></fontconfig>\n')
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    return env | {"FONTCONFIG_FILE": str(conf), "HOME": str(home), "PYTHONPATH": str(REPO)}


def probe_font(folder: Path) -> None:
    """A face under a family name no machine has, to see which font folders vl-convert reads."""
    font = TTFont(typefaces.FONT_DIR / "ExplainerSerif-Regular.ttf")
    for record in font["name"].names:
        if record.nameID in (1, 4):
            record.string = "Probe Face Zq"
    folder.mkdir()
    font.save(folder / "probe.ttf")


def test_the_hidden_fonts_environment_is_what_vl_convert_reads(tmp_path):
    """Guards the test below: in that environment vl-convert reads fonts from the folder it
    names (so from no system folder), and a face only that folder has is drawn."""
    probe_font(tmp_path / "only")
    env = hidden_fonts_env(tmp_path, tmp_path / "only")
    found = subprocess.run([sys.executable, "-c", PROBE, "Probe Face Zq"], env=env, capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "True"
    elsewhere = subprocess.run([sys.executable, "-c", PROBE, "Probe Face Zq"], capture_output=True, text=True, check=True)
    assert elsewhere.stdout.strip() == "False"  # the normal environment does not read that folder


def test_a_build_that_sees_no_system_font_makes_the_same_bytes(make_site, tmp_path):
    seeing = make_site()
    build(load_config(seeing, seeing / "output"), Cache(None))
    blind = copy_site("minimal", tmp_path / "blind")
    (tmp_path / "no-fonts").mkdir()
    subprocess.run([sys.executable, "-c", BUILD, str(blind)], env=hidden_fonts_env(tmp_path, tmp_path / "no-fonts"), check=True)
    expected, actual = tree_bytes(seeing / "output"), tree_bytes(blind / "output")
    assert sorted(actual) == sorted(expected)
    assert [path for path in expected if actual[path] != expected[path]] == []
    assert text_tree(blind / "output") == text_tree(GOLDEN)


def test_the_package_carries_each_face_renamed_with_its_licence():
    licence = (typefaces.FONT_DIR / "OFL.txt").read_text()
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Reserved Font Name Liberation" in licence
    for face in typefaces.FACES:
        names = TTFont(typefaces.FONT_DIR / f"{face.stem}.ttf")["name"]
        assert names.getDebugName(1) == face.family
        # The OFL keeps the Reserved Font Names for the original: a modified face must not present them.
        presented = " ".join(str(names.getDebugName(n)) for n in (1, 3, 4, 6, 16, 17))
        assert not re.search("Liberation|Arimo|Tinos|Cousine", presented)
        assert "Open Font License" in names.getDebugName(13)


def drawn_chart(tmp_path: Path, make_site) -> Path:
    root = make_site()
    build(load_config(root, root / "output"), Cache(None))
    return root / "output" / "embed" / "lane2-missions"


def embedded_faces(svg: str) -> dict[tuple[str, str], TTFont]:
    """The faces an SVG's <style> embeds, by (family, weight)."""
    faces = {}
    for family, weight, data in re.findall(r'font-family:"([^"]+)";font-weight:(\d+);font-style:normal;src:url\(data:font/woff2;base64,([^)]+)\)', svg):
        faces[family, weight] = TTFont(io.BytesIO(base64.b64decode(data)))
    return faces


def test_a_static_svg_carries_the_glyphs_of_its_text_in_our_faces(make_site, tmp_path):
    folder = drawn_chart(tmp_path, make_site)
    for name, weights in (("inline.svg", {"400"}), ("inline-narrow-dark.svg", {"400"}), ("chart.svg", {"400", "700"})):
        svg = (folder / name).read_text()
        faces = embedded_faces(svg)
        assert {weight for _, weight in faces} == weights, name
        assert {family for family, _ in faces} == {typefaces.SANS}
        text = "".join(re.sub(r"<[^>]*>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg))
        covered = set().union(*(face.getBestCmap() for face in faces.values()))
        assert {ord(c) for c in text.replace("&amp;", "&")} <= covered, name
        assert 'font-family="Explainer Sans, ' in svg


def test_a_charts_page_drawings_share_one_subset_of_each_face(make_site, tmp_path):
    folder = drawn_chart(tmp_path, make_site)
    subsets = lambda name: re.findall(r"base64,([^)]+)\)", (folder / name).read_text())  # noqa: E731
    page = {name: subsets(name) for name in ("inline.svg", "inline-dark.svg", "inline-narrow.svg", "inline-narrow-dark.svg")}
    assert len({tuple(found) for found in page.values()}) == 1 and page["inline.svg"]  # wide and narrow label sets: one subset
    narrow_text = {c for t in re.findall(r"<text[^>]*>(.*?)</text>", (folder / "inline-narrow.svg").read_text()) for c in t}
    assert narrow_text <= {chr(c) for c in embedded_faces((folder / "inline.svg").read_text())["Explainer Sans", "400"].getBestCmap()}


def test_embedded_fonts_are_the_same_bytes_each_time_and_leave_the_png_alone():
    from generator.chartfiles import _png
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="2" y="20" font-family="Explainer Sans, sans-serif" '
           'font-size="12">Ωμέγα &amp; Кириллица</text><text x="2" y="36" font-family="Explainer Sans" font-weight="bold" font-size="12">Bold</text></svg>')
    once = typefaces.with_embedded_fonts(svg)
    typefaces._subset.cache_clear()
    assert typefaces.with_embedded_fonts(svg) == once
    assert len(embedded_faces(once)) == 2
    assert "Ω" in "".join(chr(c) for c in embedded_faces(once)["Explainer Sans", "400"].getBestCmap())
    with Workers(jobs=1) as pool:  # drawings happen in worker processes only
        pngs = pool.map([Task(_png, (text.encode(), 1, Cache(None), "test"), Label("drawing", "a PNG", "test.svg"))
                         for text in (once, svg)])
    assert pngs[0] == pngs[1]


def test_text_in_other_fonts_embeds_nothing():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text font-family="Georgia">Plain</text></svg>'
    assert typefaces.with_embedded_fonts(svg) == svg


def test_pages_load_the_faces_from_the_site_itself(make_site):
    root = make_site()
    build(load_config(root, root / "output"), Cache(None))
    out = root / "output"
    page = (out / "explainers/lane2/index.html").read_text()
    css_url = re.search(r'<link rel="stylesheet" href="(/assets/theme\.[0-9a-f]+\.css)">', page).group(1)
    css = (out / css_url.lstrip("/")).read_text()
    sources = re.findall(r'src: url\("([^"]+)"\) format\("woff2"\)', css)
    web_faces = [face for face in typefaces.FACES if face.web]
    assert len(sources) == len(web_faces) * len(typefaces.WEB_RANGES)
    for url in sources:
        assert url.startswith("/assets/fonts/") and (out / url.lstrip("/")).read_bytes()[:4] == b"wOF2"
    assert css.count("font-display: swap;") == len(sources)
    preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', page)
    # the faces of the first screen: body text, the serif headline and dek (no reflow when they arrive)
    assert all(url in sources for url in preloads)
    assert [re.sub(r"\.[0-9a-f]+\.woff2$", "", url.rsplit("/", 1)[1]) for url in preloads] == [
        "ExplainerSans-Regular-latin", "ExplainerSerif-Bold-latin", "ExplainerSerif-Regular-latin"]
    site_css = next((out / "assets").glob("site.*.css")).read_text()
    assert '--sans: "Explainer Sans", ' in site_css and '--serif: "Explainer Serif", ' in site_css
    spec = json.loads((out / "embed/lane2-missions/chart.vl.json").read_text())
    assert spec["config"]["font"].startswith("Explainer Sans, ")  # the live chart: the family it was measured in


def test_the_web_subsets_are_made_from_the_packaged_faces():
    """The committed WOFF2 files match the committed TTFs (bench/fonts.py makes both)."""
    for face in (face for face in typefaces.FACES if face.web):
        ttf = TTFont(typefaces.FONT_DIR / f"{face.stem}.ttf")
        for subset in typefaces.WEB_RANGES:
            web = TTFont(REPO / "generator/theme/assets" / typefaces.web_font_name(face, subset))
            assert web["name"].getDebugName(1) == face.family
            widths = ttf["hmtx"].metrics
            cmap = ttf.getBestCmap()
            for code, glyph in web.getBestCmap().items():
                assert web["hmtx"].metrics[glyph][0] == widths[cmap[code]][0]


def test_a_sites_chart_font_reaches_every_text_of_a_chart():
    """theming.md tells a site to set `theme.chart: {font: …}` for another family: no part of
    the theme may pin its own font under it (axis labels and titles, legends, titles)."""
    from generator.themes import chart_themes

    config = chart_themes({"font": "Some Family, sans-serif"})["light"].config
    spec = {"data": {"values": [{"a": "x", "b": 1, "c": "k"}]}, "mark": "bar", "title": {"text": "T", "subtitle": "S"},
            "encoding": {"x": {"field": "a"}, "y": {"field": "b"}, "color": {"field": "c"}}, "config": config}
    # Drawn in a child process: the test process, like the build, never loads vl-convert
    # (forked chart workers must not inherit its runtime's threads).
    drawn = subprocess.run([sys.executable, "-c", "import json, sys\nfrom generator import typefaces\n"
                            "print(typefaces.converter().vegalite_to_svg(json.loads(sys.argv[1])))", json.dumps(spec)],
                           capture_output=True, text=True, timeout=120, check=True)
    svg = drawn.stdout
    families = set(re.findall(r'font-family="([^"]*)"', svg))
    assert families == {"Some Family, sans-serif"}
