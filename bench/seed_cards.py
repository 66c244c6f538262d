"""Pre-seed the social-card cache of a synthetic site, so a 10,000-page build can be timed in minutes.

Drawing a card (vl-convert PNG + a level-9 re-deflate) costs ~0.1-0.2 s of CPU
here, so a cold 10,000-page build spends most of an hour on cards alone. For
the no-change, memory and 10,000-page runs, `run.py --seed-cards N` stores one
real card's bytes (from a smaller cold run) under every page's real cache key.
Everything else in the build runs as usual; the doc says which runs were seeded.

Run with the project's Python: `python bench/seed_cards.py ROOT OUT SAMPLE_PNG`.
Prints the number of cards seeded; exits 3 if this generator has no social cards.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.build import default_cache, model_site
from generator.config import load_config


def main() -> None:
    root, out, sample = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    try:
        from generator.social import card_for
    except ImportError:
        print("this generator draws no social cards", file=sys.stderr)
        sys.exit(3)
    config = load_config(root, out)
    cache = default_cache(config)
    site = model_site(config, cache)
    data = sample.read_bytes()
    seeded = 0
    for page in site.pages:
        card = card_for(site, page)
        if cache.get_bytes("social-cards", card.key) is None:
            cache.put_bytes("social-cards", card.key, data)
            seeded += 1
    print(seeded)


if __name__ == "__main__":
    main()
