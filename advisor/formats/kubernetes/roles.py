"""Which container of a running pod is its primary: the first that is no known helper."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.domain.images import image_base, is_one_of

# Images that run beside an application rather than being one: mesh and auth proxies,
# secret and config loaders, log shippers. (nginx, haproxy and traefik often are the
# application, so a pod's first container is preferred over them.)
HELPER_IMAGES = (
    "proxyv2", "linkerd2-proxy", "proxy", "envoy", "kube-rbac-proxy", "oauth2-proxy",
    "cloud-sql-proxy", "cloudsql-proxy", "vault", "vault-agent", "git-sync",
    "configmap-reload", "config-reloader", "prometheus-config-reloader", "fluent-bit",
    "fluentd", "filebeat", "promtail", "vector", "istio-proxy", "dapr", "daprd",
)  # fmt: skip


def is_helper_image(image: str) -> bool:
    """Whether ``image`` is a well-known helper (a sidecar by trade)."""
    base = image_base(image)
    return is_one_of(base, HELPER_IMAGES) or base.endswith(("-exporter", "_exporter"))


def primary_index(images: Sequence[str]) -> int:
    """The index of the primary among a pod's main containers' images."""
    return next((i for i, image in enumerate(images) if not is_helper_image(image)), 0)
