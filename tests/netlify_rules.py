"""Response headers as Netlify would send them, from netlify.toml and the built `_headers`.

Netlify reads `[[headers]]` from netlify.toml and the `_headers` file in the published
folder. A rule for the same path and header in both: netlify.toml's wins. For a request,
every rule whose path matches applies; `*` is a splat (anything, slashes included), and a
header set by several rules is joined with ', ' (for Content-Security-Policy that makes a
list of policies, each enforced; the browser tests send each as its own line, the same).

The `_headers` parser is strict: a line is a comment, blank, a path (starting with '/'),
or an indented 'Name: value' under a path; anything else fails the test.
"""

from __future__ import annotations

import http.server
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

Rule = tuple[str, list[tuple[str, str]]]


def parse_headers_file(text: str) -> list[Rule]:
    rules: list[Rule] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("/"):
            assert line == line.strip() and " " not in line, f"_headers:{number}: a path line with spaces: {line!r}"
            rules.append((line, []))
            continue
        match = re.fullmatch(r"\s+([A-Za-z0-9-]+): (\S.*)", line)
        assert match and rules, f"_headers:{number}: not a header of a path: {line!r}"
        rules[-1][1].append((match[1], match[2]))
    return rules


def parse_netlify_toml(path: Path) -> list[Rule]:
    return [(rule["for"], [(name, str(value)) for name, value in rule.get("values", {}).items()])
            for rule in tomllib.loads(path.read_text()).get("headers", [])]


class NetlifyHeaders:
    """The rules of one deploy: `headers_file` (the built _headers) and `config` (netlify.toml)."""

    def __init__(self, headers_file: list[Rule], config: list[Rule]):
        overridden = {(path, name.lower()) for path, values in config for name, _ in values}
        kept = [(path, [(n, v) for n, v in values if (path, n.lower()) not in overridden]) for path, values in headers_file]
        self.rules = [(re.compile("^" + re.escape(path).replace(r"\*", ".*") + "$"), path, values)
                      for path, values in kept + config]

    @classmethod
    def of(cls, published: Path, netlify_toml: Path) -> "NetlifyHeaders":
        return cls(parse_headers_file((published / "_headers").read_text()), parse_netlify_toml(netlify_toml))

    def sources(self, path: str) -> dict[str, list[str]]:
        """Header name -> the value of each matching rule, in order."""
        found: dict[str, list[str]] = {}
        for pattern, _, values in self.rules:
            if pattern.match(path):
                for name, value in values:
                    found.setdefault(name, []).append(value)
        return found

    def lines(self, path: str) -> list[tuple[str, str]]:
        """Response header lines: each Content-Security-Policy on its own, others joined."""
        lines = []
        for name, values in self.sources(path).items():
            if name.lower() == "content-security-policy":
                lines += [(name, value) for value in values]
            else:
                lines.append((name, ", ".join(values)))
        return lines


class NetlifyHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with Netlify's headers for the requested path:
    functools.partial(NetlifyHandler, directory=..., headers=NetlifyHeaders.of(...))."""

    def __init__(self, *args, headers: NetlifyHeaders, **kwargs) -> None:
        self.netlify = headers
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass

    def end_headers(self) -> None:
        for name, value in self.netlify.lines(urlsplit(self.path).path):
            self.send_header(name, value)
        super().end_headers()
