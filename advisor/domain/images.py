"""What an image reference says about the container: its base name, and whether it is a
well-known datastore."""

from __future__ import annotations

import re

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


# The words of an image's name that say "a datastore" beyond DATASTORES: other spellings
# and engines vendors publish under their own prefix (bitnami/postgresql, someorg-mongodb).
_DATASTORE_WORDS = frozenset(
    {*DATASTORES, "postgresql", "pgvector", "mongodb", "percona", "keydb", "dragonfly",
     "scylla", "cockroachdb", "couchbase", "arangodb", "rethinkdb", "questdb", "mssql",
     "dynamodb", "solr", "typesense", "meilisearch", "qdrant", "weaviate", "milvus"}
)  # fmt: skip
# Words that make an image a tool around a datastore, not the store: an exporter, an admin
# UI, an operator, a backup job (postgres-exporter, mongo-express, redis-commander).
_TOOL_WORDS = frozenset(
    {"exporter", "exporters", "operator", "admin", "commander", "ui", "gui", "web", "express",
     "dashboards", "dashboard", "insight", "client", "cli", "backup", "backups", "proxy",
     "bouncer", "agent", "beat", "connect", "rest", "migrate", "migrations", "init", "tools"}
)  # fmt: skip
# A last path part that names no engine (mcr.microsoft.com/mssql/server): the part before
# it does.
_GENERIC_NAMES = frozenset({"server", "db", "database"})
_WORD_SEPARATORS = re.compile(r"[-_.]")


def is_datastore(image: str) -> bool:
    """Whether the image is a well-known datastore: a word of its name (``bitnami/postgresql``,
    ``someorg/someorg-postgresql``, ``mariadb-galera``, ``postgres16``) names an engine and
    none names a tool around one (``postgres-exporter``, ``mongo-express``)."""
    parts = image.split("@", 1)[0].lower().split("/")
    parts[-1] = parts[-1].split(":", 1)[0]
    names = parts[-2:] if parts[-1] in _GENERIC_NAMES and len(parts) > 1 else parts[-1:]
    words = {w.rstrip("0123456789") for name in names for w in _WORD_SEPARATORS.split(name)}
    return bool(words & _DATASTORE_WORDS) and not words & _TOOL_WORDS
