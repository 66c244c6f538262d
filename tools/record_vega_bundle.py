"""Record the Vega bundle's digest for the installed vl-convert-python (`make vega-digest`).

Every build publishes the bundle only if its sha256 is the one recorded for the installed
vl-convert version in generator/vega_bundles.json. After locking a new vl-convert, run
this, read what it prints (the Vega and vega-embed versions now shipped to readers: check
them against known advisories), and commit the file with the lock.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.vegabundle import DIGESTS, make_bundle, recorded_digests, vl_convert_version  # noqa: E402


def main() -> int:
    import vl_convert

    version = vl_convert_version()
    bundle = make_bundle()
    entry = {"bytes": len(bundle), "sha256": hashlib.sha256(bundle).hexdigest(),
             "vega": vl_convert.get_vega_version(), "vega-embed": vl_convert.get_vega_embed_version()}
    known = recorded_digests()
    if version in known and known[version]["sha256"] != entry["sha256"]:
        print(f"vl-convert-python {version} now makes a bundle with sha256 {entry['sha256']}, "
              f"not the recorded {known[version]['sha256']}: not overwriting; find out why first", file=sys.stderr)
        return 1
    known[version] = entry
    DIGESTS.write_text(json.dumps(dict(sorted(known.items())), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"vl-convert-python {version}: Vega {entry['vega']}, vega-embed {entry['vega-embed']}, "
          f"{entry['bytes']} bytes, sha256 {entry['sha256']} (recorded in {DIGESTS.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
