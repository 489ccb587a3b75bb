"""`taskstream worker`: run the faust worker (deciders and projectors) in the foreground."""

from __future__ import annotations

import faust

from config.settings import Settings
from streams import logs
from streams.worker.app import create_app


def run(settings: Settings) -> None:
    app = create_app(settings)
    worker = faust.Worker(
        app, loglevel="INFO", quiet=True, redirect_stdouts=False, **logging_options(settings)
    )
    worker.execute_from_commandline()


def logging_options(settings: Settings) -> dict[str, object]:
    """Text keeps faust's own (coloured on a terminal) handler; json replaces it with ours."""
    config = logs.dict_config(settings.log_format)  # also refuses an unknown format
    return {"logging_config": config} if settings.log_format == "json" else {}
