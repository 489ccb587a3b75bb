"""Local Kafka and Cassandra (fetched from Maven Central), topic bootstrap and CQL migrations."""
