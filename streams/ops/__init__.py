"""Operations on the log: replay, verify, audit, time travel, tail (docs/logops.md)."""
