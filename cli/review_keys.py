"""What both review queues share in the terminal: single keys, screens, and the speaker-correction prompt.

Keys are read ``git add -p`` style: raw mode (termios) when stdin is a terminal, one line per key otherwise
(pipes, Typer's CliRunner).
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any, Protocol

from rich.text import Text

from db.review.session import SpeakerChoice

from .common import console, safe
from .store_render import inert


class CorrectsSpeakers(Protocol):
    """A review session that can correct a speaker: the claim queue's and the unsure queue's."""

    def find_speakers(self, query: str, limit: int = 8) -> list[SpeakerChoice]: ...

    def correct_speaker(self, speaker_id: int | None = None, *, new_name: str | None = None,
                        speaker_type: str = "PERSON") -> Any: ...


class KeyReader:
    """Single keys from a terminal (raw mode), or one key per line from anything else."""

    def __init__(self, stream: IO[str] | None = None):
        self.stream = stream if stream is not None else sys.stdin
        try:
            self.tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self.tty = False

    def key(self, prompt: str) -> str | None:
        """One key ('' for Enter or a key we do not read); None at end of input or Ctrl-C/Ctrl-D."""
        console.print(safe(prompt), end="")
        if not self.tty:
            line = self.stream.readline()
            console.print()
            return line.strip() if line else None
        data = self._raw_read()
        console.print()
        text = data.decode("utf-8", errors="replace")
        if not text or text[0] in "\x03\x04":
            return None
        if text[0] in "\r\n\x1b":  # Enter, or an escape sequence (arrow keys...)
            return ""
        return text[0]

    def _raw_read(self) -> bytes:
        import termios
        import tty

        fd = self.stream.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setraw(fd)
            # Up to 8 bytes: a multi-byte character or an escape sequence arrives as one read, not as keys.
            return os.read(fd, 8)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)

    def line(self, prompt: str) -> str | None:
        """A line of text (the terminal's own line editing when it is one); None at end of input."""
        console.print(safe(prompt), end="")
        line = self.stream.readline()
        if not self.tty:
            console.print()
        return line.rstrip("\r\n") if line else None


def show(parts: list[Any], clear: bool) -> None:
    """Print a screen (clearing the terminal first when there is one)."""
    if clear:
        console.clear()
    for part in parts:
        console.print(part, soft_wrap=isinstance(part, str))


def speaker_flow(session: CorrectsSpeakers, keys: KeyReader) -> Any:
    """Ask who said it, offer the known speakers that match and a new one; the correction's outcome, or None
    when the reviewer cancels."""
    query = keys.line("Who said it? Name to search (Enter cancels): ")
    if not query or not query.strip():
        return None
    choices = session.find_speakers(query)
    for i, c in enumerate(choices, 1):
        console.print(f"  [bold]{i}[/] {safe(c.name)} [dim]#{c.id} {c.type}, {c.quotes} quotes[/]", soft_wrap=True)
    console.print(f"  [bold]+[/] a new speaker named “{safe(query.strip())}”", soft_wrap=True)
    pick = keys.key(f"Pick {'1-' + str(len(choices)) + ' or ' if choices else ''}+ (other keys cancel): ")
    if pick and pick.isdigit() and 1 <= int(pick) <= len(choices):
        return session.correct_speaker(choices[int(pick) - 1].id)
    if pick == "+":
        kind = keys.key("A p(erson), o(rganisation) or g(roup)? [p] ")
        stype = {"o": "ORG", "g": "GROUP"}.get(kind or "", "PERSON")
        return session.correct_speaker(new_name=query.strip(), speaker_type=stype)
    return None


def highlighted(paragraph: str, spans: list[tuple[tuple[int, int] | None, str]]) -> Text:
    """A paragraph with each ``(span, style)`` styled (styles add up where spans overlap), text kept inert."""
    cuts = {0, len(paragraph)}
    for span, _style in spans:
        if span:
            cuts.update(span)
    points = sorted(cuts)
    out = Text()
    for a, b in zip(points, points[1:], strict=False):
        styles = [style for span, style in spans if span and span[0] <= a < span[1]]
        out.append_text(inert(paragraph[a:b], " ".join(styles)))
    return out
