"""Request limits derived from the stores; api/schemas/ and telemetry ingest check them."""

# Cassandra refuses a key over 64 KiB and a mutation over
# half a commitlog segment (8 MiB in infra/cassandra/cassandra.yaml, so 4 MiB); a text value
# may take up to 4 bytes a character in UTF-8.
MAX_KEY_CHARS = 1024  # ids, names, tags, metric, variant, worker ids: key parts
MAX_TEXT_CHARS = 1024 * 1024  # comment, script.diff, log message, configuration values, manifests
# A request that becomes a command or document (all but telemetry): its body bounds what the
# command writes (JSON escapes only make text longer), under the 4 MiB mutation whatever the
# characters and however many text fields it fills.
MAX_COMMAND_BYTES = 3 * 1024 * 1024
MAX_ITEMS = 10_000  # entries of a list or map in a request (ids, tags, parameters)
MAX_EVENTS = 1_000_000  # events of one add_batch: above what a 15 MiB body holds; bounds fuzzers
MAX_PAGE_SIZE = 10_000  # page_size, batch_size, count and similar slice sizes
MAX_INT = 2**63 - 1  # bigint columns: timestamps in ms, iterations
MAX_DATE_S = 253_402_300_799  # dates in seconds: up to 9999-12-31, as datetime and ms take them
MAX_INT32 = 2**31 - 1  # int columns: worker timeout, page numbers
MAX_JSON_DEPTH = 64  # nesting of a request body (ClearML documents nest a few levels)
