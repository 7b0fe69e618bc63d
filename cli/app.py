"""The Typer application and the console-script entry point."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from attribution.errors import AttributionError

from . import (
    claims_eval_cmd,
    common,
    eval_cmd,
    export_cmd,
    extract_cmd,
    follow_cmd,
    ingest_cmd,
    models_cmd,
    review_cmd,
    setup_cmd,
    store_cmds,
)


class _OneLineErrors(TyperGroup):
    """Turns every :class:`AttributionError` raised by any command into one line and exit code 1.

    Done at the group, not in ``main``, so that Typer's test runner sees the same behaviour as users.
    """

    # ``ctx`` is a context of the click that Typer vendors (typer._click, private), not of the click package.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except AttributionError as exc:
            if common.debug():
                raise
            common.fail(str(exc))


app = typer.Typer(
    name="attribution",
    cls=_OneLineErrors,
    help="Who said what, in which role, where: quote and claim attribution for news.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
app.add_typer(models_cmd.app, name="models")
app.command("setup")(setup_cmd.setup)
app.command("extract")(extract_cmd.extract)
app.command("eval")(eval_cmd.evaluate)
app.command("eval-claims")(claims_eval_cmd.eval_claims)

app.command("ingest")(ingest_cmd.ingest)
app.command("follow")(follow_cmd.follow)
app.command("unfollow")(follow_cmd.unfollow)
store_cmds.register(app)  # quotes, speakers, speaker, show, stats
app.command("export")(export_cmd.export)
review_cmd.register(app)  # review, history, scales


def main() -> None:
    """Console-script entry point: no traceback for anything but ATTRIBUTION_DEBUG=1."""
    try:
        app()
    except KeyboardInterrupt:
        common.err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # a bug of ours: still one line, with the way to see more
        if common.debug():
            raise
        common.err_console.print(
            f"[bold red]error:[/] {common.safe(type(exc).__name__)}: {common.safe(exc)} "
            "(set ATTRIBUTION_DEBUG=1 for the traceback)", soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
