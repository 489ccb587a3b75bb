"""Files: the index of what the file server stores, decided by the company decider."""

from commands.files.decide import DECIDE, EVOLVE

__all__ = ["DECIDE", "EVOLVE"]
