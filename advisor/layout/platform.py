"""What a platform team checks in the manifests beyond the pods: the namespace they are
written in, what Docker gave the containers that the cluster gives another way (an API
token only where one is needed, seccomp profiles the nodes must hold), and the Ingresses
that take over from a proxy that routed from the Docker socket."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.domain.hostpaths import is_docker_socket
from advisor.domain.model import Container
from advisor.domain.running import RunningPod
from advisor.layout.advice import Advice

_SOCKET_TOKEN = (
    "mounts the Docker socket: under Docker it had no Kubernetes API token and its pod gets "
    "none (automountServiceAccountToken: false); if it manages containers, in the cluster it "
    "talks to the API server: give it a ServiceAccount bound to only the Role it needs and "
    "set automountServiceAccountToken: true"
)
# Proxies that route by reading the Docker socket (by the last part of the image's name),
# and what does their job in a cluster.
_SOCKET_PROXIES = {
    "traefik": "an Ingress controller",
    "nginx-proxy": "an Ingress controller",
    "docker-gen": "an Ingress controller",
    "caddy-docker-proxy": "an Ingress controller",
    "acme-companion": "a certificate issuer (cert-manager)",
    "letsencrypt-nginx-proxy-companion": "a certificate issuer (cert-manager)",
}
_RUNNING_DEFAULTS = (
    "kept as it runs, which is looser than Docker ran containers: {what}; Docker's own "
    "defaults are automountServiceAccountToken: false and seccompProfile RuntimeDefault"
)


def platform_notes(advice: Advice) -> list[tuple[str, str]]:
    """(subject, text) for each thing to check, in a stable order."""
    notes: list[tuple[str, str]] = []
    running = advice.inventory.running
    for pod in running:
        if advice.namespace is not None and pod.namespace not in (None, advice.namespace):
            notes.append(
                (
                    pod.label,
                    f"written in namespace {advice.namespace} (--namespace), not in "
                    f"{pod.namespace} as its manifest says",
                )
            )
        looser = _looser_than_docker(pod)
        if looser:
            notes.append((pod.label, _RUNNING_DEFAULTS.format(what=" and ".join(looser))))
    if not running:
        for container in advice.inventory.containers:
            notes += [(container.name, text) for text in _container_notes(container)]
        notes += _ingress_notes(advice)
    return notes


def _ingress_notes(advice: Advice) -> list[tuple[str, str]]:
    """The routes no Ingress holds, and the certificates the HTTPS hosts need."""
    plans, problems = advice.ingress_plans(every_pod=advice.services)
    notes = list(problems)
    for plan in plans:
        if plan.tls_hosts:
            notes.append(
                (
                    f"Ingress {plan.name}",
                    f"serves {', '.join(plan.tls_hosts)} over HTTPS with the certificate in "
                    f"Secret {plan.tls_secret}, which nothing creates yet: under compose the "
                    "proxy obtained it; in the cluster a certificate issuer does (cert-manager: "
                    "annotate the Ingress with cert-manager.io/cluster-issuer: YOUR-ISSUER)",
                )
            )
    return notes


def _socket_proxy(container: Container) -> str | None:
    """What does the job in the cluster of a proxy that routes from the Docker socket."""
    if not any(is_docker_socket(m.source) for m in container.host_mounts):
        return None
    name = container.image.split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0]
    return _SOCKET_PROXIES.get(name)


def _container_notes(container: Container) -> list[str]:
    notes = []
    instead = _socket_proxy(container)
    if instead is not None:
        notes.append(
            f"routes from the Docker socket ({container.image}), which no pod has: in the "
            f"cluster {instead} does its job, and pods.yaml carries its routes as Ingresses; "
            "leave its workload out and install one (see --ingress-class)"
        )
    elif any(is_docker_socket(m.source) for m in container.host_mounts):
        notes.append(_SOCKET_TOKEN)
    security = container.security
    name = security.localhost_profile
    if name is not None and not security.privileged:
        notes.append(
            f"security_opt names the seccomp profile {security.seccomp}: it runs with the "
            f"Localhost profile {name}, which every node must hold at "
            f"/var/lib/kubelet/seccomp/{name} (or the pod does not start); copy it there, or "
            "let the Security Profiles Operator install it"
        )
    return notes


def _looser_than_docker(pod: RunningPod) -> list[str]:
    """What a running pod's spec grants that Docker never gave a container."""
    spec = _pod_spec(pod.document)
    looser = []
    if spec.get("automountServiceAccountToken") is not False:
        looser.append("the service-account token is mounted")
    context = spec.get("securityContext")
    if not isinstance(context, Mapping) or "seccompProfile" not in context:
        looser.append("no seccomp profile is set for the pod")
    return looser


def _pod_spec(document: Mapping[str, Any]) -> Mapping[str, Any]:
    spec: Any = document.get("spec", {})
    if document.get("kind") == "CronJob":
        spec = spec.get("jobTemplate", {}).get("spec", {})
    if document.get("kind") != "Pod":
        spec = spec.get("template", {}).get("spec", {})
    return spec if isinstance(spec, Mapping) else {}
