"""`taskstream worker`: run the faust worker (deciders and projectors) in the foreground."""

from __future__ import annotations

import faust

from config.settings import Settings
from streams.worker.app import create_app


def run(settings: Settings) -> None:
    app = create_app(settings)
    worker = faust.Worker(app, loglevel="INFO", quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()
