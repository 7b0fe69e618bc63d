"""The README documents every command the app has (sqlite-utils style: a command nobody can find is a bug)."""

from __future__ import annotations

import typer

from cli.app import app

from .conftest import ROOT


def _commands(group, prefix: str = "") -> list[str]:
    # Typer ships its own click, so groups are recognised by their sub-commands, not by class.
    names = []
    for name, cmd in group.commands.items():
        full = f"{prefix}{name}"
        names.append(full)
        if getattr(cmd, "commands", None):
            names.extend(_commands(cmd, full + " "))
    return names


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _commands(typer.main.get_command(app))
    assert len(commands) > 10
    missing = []
    for full in commands:
        parts = full.split()
        # "models install" is documented as `attribution models download` / `install --from DIR`
        # a sub-command may be listed after its group: "`attribution models download` / `install --from DIR`"
        if f"attribution {full}" not in readme and not (
                len(parts) > 1 and f"attribution {parts[0]}" in readme and (
                    f"`{parts[-1]}" in readme or f"`{full}" in readme)):
            missing.append(full)
    assert not missing, f"commands missing from README.md: {missing}"


def test_readme_leads_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_blocks = readme.split("```bash")[1:3]
    assert "scripts/bootstrap" in first_blocks[0] and "attribution extract examples/" in first_blocks[0]
    assert "scripts/test" in first_blocks[1]
    example = readme.split("attribution extract ")[1].split()[0]
    assert (ROOT / example).is_file()
