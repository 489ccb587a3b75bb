"""Avro: schemas derived from the dataclasses, the codec and schema evolution."""
