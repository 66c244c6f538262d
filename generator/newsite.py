"""`explainer new site DIR`: a starter site that builds with --strict as written.

The starter lives in the package (generator/starter/), so a newsroom that only
pip-installed the generator gets the same files. Nothing existing is overwritten:
the folder must be new or empty.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import yaml

from .scaffold import NewFileRefused

STARTER = Path(__file__).parent / "starter"
TITLE_LINE = "title: Our Town Libraries\n"


def new_site(folder: Path, title: Optional[str] = None) -> list[str]:
    """Write the starter into `folder`; return the files written, as shown relative to it."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NewFileRefused(f"{folder} already exists and is not empty; not writing a site into it (pick a new folder)")
    written = []
    for source in sorted(p for p in STARTER.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        relative = source.relative_to(STARTER).as_posix()
        text = source.read_text(encoding="utf-8")
        if relative == "site_src/site.yaml" and title:
            text = text.replace(TITLE_LINE, "title: " + yaml.safe_dump(title, default_style='"', width=10_000).strip() + "\n")
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as file:
            file.write(text)
        written.append(relative)
    return written
