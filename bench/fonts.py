"""Make the fonts the generator ships, from Debian's fonts-liberation2 package.

    apt-get download fonts-liberation2
    python bench/fonts.py fonts-liberation2_2.1.5-1_all.deb

Writes generator/fonts/*.ttf (each face of Liberation Sans and Serif renamed "Explainer
Sans" / "Explainer Serif", hinting dropped, layout features cut to kerning and composition), generator/fonts/OFL.txt (the licence, from the
package's copyright file) and generator/theme/assets/fonts/*.woff2 (the page subsets, one
per face and range of generator/typefaces.py). The same .deb with the same fontTools and
brotli gives the same bytes: no timestamp is set to now.

Why renamed: the SIL OFL reserves the name "Liberation" (and Arimo, Tinos, Cousine) for the
original, and a machine may have another version of Liberation installed, which vl-convert
would otherwise be free to pick instead of ours. Why without hinting: vl-convert (resvg)
never hints, so the drawings are the same and each file is about 40% smaller; browsers get
the same outlines the charts were measured with.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.typefaces import FACES, FONT_DIR, WEB_RANGES, Face, web_font_name  # noqa: E402

THEME_ASSETS = REPO / "generator" / "theme" / "assets"
PACKAGE_FONTS = "usr/share/fonts/truetype/liberation2"
# What the drawing engine gets: kerning and glyph composition. vl-convert shapes every piece of
# text it measures or draws with the whole face, and the mark, mkmk, dlig, subs and sups lookups
# (combining accents, ligatures, sub- and superscripts) made each chart drawing about a fifth
# slower without changing one byte of any drawing. The pages' subsets keep every feature.
DRAWING_FEATURES = ["kern", "ccmp"]
COPYRIGHT = "usr/share/doc/fonts-liberation2/copyright"


def main(deb: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["dpkg-deb", "-x", str(deb), tmp], check=True)
        (FONT_DIR / "OFL.txt").write_text(licence(Path(tmp, COPYRIGHT).read_text(encoding="utf-8", errors="replace")))
        for face in FACES:
            original = Path(tmp, PACKAGE_FONTS, face.stem.replace("Explainer", "Liberation") + ".ttf")
            renamed = FONT_DIR / f"{face.stem}.ttf"
            whole = Path(tmp, renamed.name)  # every layout feature, for the pages' subsets
            save_renamed(original, whole, face, ["*"])
            for name, unicode_range in WEB_RANGES.items() if face.web else ():
                save_web_subset(whole, THEME_ASSETS / web_font_name(face, name), unicode_range)
            save_renamed(original, renamed, face, DRAWING_FEATURES)
            print(f"{renamed.relative_to(REPO)}: {renamed.stat().st_size} bytes")


def licence(copyright_file: str) -> str:
    """The OFL paragraph of a Debian copyright file as plain text, with its copyright lines."""
    fonts = copyright_file.split("\nFiles: *\n", 1)[1].split("\n\n", 1)[0]
    holders, text = fonts.split("\nLicense: SIL-OFL-1.1\n", 1)
    lines = [line.strip() for line in holders.splitlines()[1:]]
    body = ["" if line == " ." else line[1:] for line in text.splitlines()]
    body = [line.replace("substituting ? in part or in whole ?", "substituting -- in part or in whole --") for line in body]
    note = ["", "The fonts in this folder are a Modified Version: Liberation Sans and Liberation Serif 2.1.5,",
            "renamed \"Explainer Sans\" and \"Explainer Serif\" (the Reserved Font Names are not used) and",
            "without TrueType hinting; their OpenType layout features are cut to kerning and glyph",
            "composition. The files under generator/theme/assets/fonts/ are subsets of the renamed faces",
            "with every layout feature.", ""]
    return "\n".join(lines + note + body).rstrip() + "\n"


def save_renamed(original: Path, target: Path, face: Face, features: list[str]) -> None:
    """The face with our family name in every name record that presents it, hinting removed,
    with only the OpenType layout `features` given."""
    options = subset.Options(hinting=False, glyph_names=True, legacy_kern=True, notdef_outline=True,
                             name_IDs=["*"], name_languages=["*"], layout_features=features, drop_tables=[])
    font = subset.load_font(str(original), options)
    font.recalcTimestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=font.getGlyphOrder(), unicodes=font.getBestCmap().keys())
    subsetter.subset(font)
    style = face.stem.split("-")[1].replace("BoldItalic", "Bold Italic")
    names = {1: face.family, 3: f"{face.family} {style} 2.1.5", 4: f"{face.family} {style}".replace(" Regular", ""),
             6: face.stem}
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
        elif record.nameID == 5:
            record.string = record.toUnicode() + "; renamed"
    subset.save_font(font, str(target), options)


def save_web_subset(source: Path, target: Path, unicode_range: str) -> None:
    options = subset.Options(flavor="woff2", hinting=False, layout_features=["*"], name_IDs=[0, 1, 2, 6, 13, 14])
    font = subset.load_font(str(source), options, dontLoadGlyphNames=True)
    font.recalcTimestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=parsed_range(unicode_range))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)


def parsed_range(unicode_range: str) -> list[int]:
    codes = []
    for part in unicode_range.replace("U+", "").split(","):
        first, _, last = part.strip().partition("-")
        codes += range(int(first, 16), int(last or first, 16) + 1)
    return codes


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
