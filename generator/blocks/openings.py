"""Finding blocks in Markdown lines: fences (```chart id) and fenced containers (::: note).

Containers nest as a stack: a line of three or more colons and a word opens one, a line
of colons alone closes the innermost. Lines inside code fences are never read as either.
"""

from __future__ import annotations

import re
from typing import Callable, Optional

from .base import Opening

FENCE = re.compile(r"^(```|~~~)\s*([a-z][a-z0-9-]*)(?:\s+(.*?))?\s*$")
ANY_FENCE = re.compile(r"^(```|~~~)")
CONTAINER_OPEN = re.compile(r"^(:{3,})\s*([A-Za-z][\w-]*)(?:\s+(.*?))?\s*$")
CONTAINER_CLOSE = re.compile(r"^:{3,}\s*$")


def fence_at(lines: list[str], start: int, line_of: Callable[[int], int]) -> tuple[Opening, int, bool]:
    """The fence opening at `start`: (opening, index of its closing line, closed?)."""
    opened = FENCE.match(lines[start])
    end = start + 1
    while end < len(lines) and not ANY_FENCE.match(lines[end]):
        end += 1
    opening = Opening(opened.group(2), opened.group(3) or "", line_of(start), 1, lines[start + 1 : end], line_of(start + 1))
    return opening, end, end < len(lines)


def container_at(lines: list[str], start: int, line_of: Callable[[int], int]) -> tuple[Opening, int, bool]:
    """The container opening at `start`: (opening with its children, index of its closing line, closed?)."""
    root = _opening(lines, start, line_of)
    stack, in_code = [root], False
    for index in range(start + 1, len(lines)):
        line = lines[index]
        child = None if in_code else _opening(lines, index, line_of)
        closes = not in_code and CONTAINER_CLOSE.match(line)
        if closes:
            stack.pop()
            if not stack:
                return root, index, True
        for opening in stack:
            opening.body.append(line)
        if child:
            stack[-1].children.append(child)
            stack.append(child)
        elif not closes:
            in_code = in_code != bool(ANY_FENCE.match(line))
            if line.strip():
                stack[-1].loose.append((line_of(index), line))
    return root, len(lines), False


def _opening(lines: list[str], index: int, line_of: Callable[[int], int]) -> Optional[Opening]:
    opened = CONTAINER_OPEN.match(lines[index])
    if not opened:
        return None
    return Opening(opened.group(2), opened.group(3) or "", line_of(index), 1, [], line_of(index + 1))
