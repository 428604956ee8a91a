"""What an image reference says about the container: its base name, and whether it is a
well-known datastore."""

from __future__ import annotations

# Images that keep an application's state (databases, caches, brokers, object stores).
DATASTORES = (
    "postgres", "postgis", "mysql", "mariadb", "mongo", "redis", "valkey", "memcached",
    "elasticsearch", "opensearch", "cassandra", "rabbitmq", "kafka", "zookeeper", "etcd",
    "minio", "clickhouse", "couchdb", "influxdb", "neo4j", "cockroach", "timescaledb",
)  # fmt: skip


def image_base(image: str) -> str:
    """``docker.io/fluent/fluent-bit:2.1@sha256:...`` -> ``fluent-bit``."""
    name = image.split("@", 1)[0].rsplit("/", 1)[-1]
    return name.split(":", 1)[0].lower()


def is_one_of(base: str, words: tuple[str, ...]) -> bool:
    """Whether an image base is one of ``words`` or a variant of one (``postgres-16``)."""
    return any(base == word or base.startswith(f"{word}-") for word in words)


def is_datastore(image: str) -> bool:
    """Whether the image is a well-known datastore."""
    return is_one_of(image_base(image), DATASTORES)
