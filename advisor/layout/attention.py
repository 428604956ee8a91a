"""What a person must look at before applying the manifests: everything the import dropped
or changed, and what the layout leaves to the cluster (ReadWriteMany storage, image
references that no registry would take, names reached without a port to serve).
``report.md`` lists it second, ``layout.yaml`` under ``needs_attention``: nothing the tool
drops lives only in the terminal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from advisor.domain.hostpaths import is_docker_socket, left_out
from advisor.domain.model import Container, FileKind, HostMount, Inventory, Workload
from advisor.domain.names import dns_label
from advisor.layout.advice import Advice
from advisor.layout.audit import audit_pods
from advisor.layout.platform import platform_notes
from advisor.layout.splitnotes import localhost_fix
from advisor.layout.volumes import VolumeKind, VolumePlan

_SOCKET_ON_NODES = (
    "mounts the node's Docker socket as a hostPath: nodes that run containerd or CRI-O "
    "(most clusters today) have none, and the pod does not start there (a hostPath of type "
    "Socket must exist); point it at the runtime's socket, or drop it"
)

# An image reference as Docker's distribution/reference grammar spells it:
# [host[:port]/]path[/path...][:tag][@digest], paths lower-case.
_LABEL = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_LABEL}(?:\.{_LABEL})*(?::[0-9]+)?"
_PATH = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_IMAGE = re.compile(rf"(?:{_DOMAIN}/)?{_PATH}(?:/{_PATH})*(?::{_TAG})?(?:@{_DIGEST})?")
_MAX_NAME = 255  # the repository name, without tag and digest


@dataclass(frozen=True)
class Attention:
    """One thing to check: what it is about (a service, a volume) and what to do."""

    subject: str
    text: str


def is_valid_image(image: str) -> bool:
    """Whether ``image`` is a reference a container runtime can pull."""
    if _IMAGE.fullmatch(image) is None:
        return False
    name = image.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    return len(name) <= _MAX_NAME


def _from_warning(warning: str, source: str) -> Attention:
    """An import warning about the service it names (``services.web.user: ...``), or about
    the file."""
    service = re.match(r"services\.([^.:\s]+)[.:]\s*", warning)
    if service is None:
        return Attention(PurePath(source).name, warning)
    return Attention(service.group(1), warning[service.end() :])


def needs_attention(advice: Advice) -> list[Attention]:
    """Everything to check before applying, in a stable order: the import's warnings in
    the order the file gave them, then images, names that will not resolve, then storage.
    Worked out once per advice (layout.yaml and report.md both list it)."""
    key = ("attention", advice.workload, advice.services, advice.namespace)
    if key not in advice.cache:
        advice.cache[key] = _needs_attention(advice)
    found: list[Attention] = advice.cache[key]
    return list(found)


def _needs_attention(advice: Advice) -> list[Attention]:
    inventory = advice.inventory
    found = [_from_warning(warning, inventory.source) for warning in inventory.warnings]
    for container in inventory.containers:
        if container.image and not is_valid_image(container.image):
            found.append(
                Attention(
                    container.name,
                    f"image {container.image!r} is not a valid image reference (a placeholder "
                    "left from documentation?); set the image to pull",
                )
            )
    workloads = advice.workload_plans()
    for workload in workloads.values():
        if workload.problem is not None:
            found.append(Attention(workload.pod, workload.problem))
    if not inventory.running:
        for pod_name, written in advice.written_names().items():
            if written.renamed_because is not None:
                found.append(
                    Attention(written.name, f"the pod of {pod_name}: {written.renamed_because}")
                )
    for pod in advice.layout.pods:
        # A node agent's pods mount the host paths; any other pod leaves them out.
        agent = workloads[pod.name].kind is Workload.DAEMONSET
        for member in map(inventory.container, pod.members):
            if not agent:
                found += _probe_paths(member)
            for mount in member.host_mounts:
                if not agent:
                    found.append(Attention(member.name, left_out(mount)))
                elif is_docker_socket(mount.source):
                    found.append(Attention(member.name, _SOCKET_ON_NODES))
    secrets = _secrets_written(inventory)
    if secrets:
        found.append(
            Attention(
                "pods.yaml",
                f"holds the values of the Secrets {', '.join(secrets)} in base64, which is not "
                "encryption: keep it out of version control, or move them to a secret store",
            )
        )
    if inventory.running:
        found += _broken_localhost(advice)
    services, problems = advice.service_plans(every_pod=advice.services)
    found += [Attention(problem.container, problem.text) for problem in problems]
    fronted = {s.pod for s in services}
    unreached = [
        member
        for pod in advice.layout.pods
        if pod.name not in fronted
        for member in pod.members
        if inventory.container(member).ports
    ]
    if unreached and not inventory.running:  # running manifests keep their own Services
        found.append(
            Attention(
                "Services",
                f"none is written for {', '.join(unreached)}: they bind ports, but nothing in "
                f"{PurePath(inventory.source).name} reaches them by name; if something does (a "
                "name in code or configuration), run again with --services",
            )
        )
    on_nfs = {s.volume for s in inventory.shares}  # ReadWriteMany already
    shared = [
        _volume_attention(p)
        for p in advice.volume_plans().values()
        if p.shared and p.name not in on_nfs
    ]
    found += [Attention(subject, text) for subject, text in platform_notes(advice)]
    return found + [a for a in shared if a.text]


def _broken_localhost(advice: Advice) -> list[Attention]:
    """Each variable or argument that names localhost to reach a container a split moves
    to another pod, with the Service name to write instead."""
    return [
        Attention(found.link.a, localhost_fix(found.link, found.service))
        for audit in audit_pods(advice)
        for found in audit.breaks
    ]


def _volume_attention(plan: VolumePlan) -> Attention:
    """What a volume the containers of several pods mount needs, as pods.yaml writes it
    (no text: nothing to do, a volume of another type the manifest declares)."""
    pods, together = ", ".join(plan.pods), f"answers that put {', '.join(plan.users)} in one pod"
    storage = "ReadWriteMany access (NFS, CephFS, a cloud file store)"
    if plan.kind is VolumeKind.EMPTYDIR_PER_POD and plan.source == "Memory":
        text = (
            f"an in-memory emptyDir (medium: Memory) in each of pods {pods}, each empty: "
            "memory one container shares there the others no longer see, and no volume "
            f"shares memory across pods: {together}"
        )
    elif plan.kind is VolumeKind.EMPTYDIR_PER_POD:
        text = (
            f"an emptyDir in each of pods {pods}, each empty: files one container writes "
            f"there the others no longer see; to share them, a claim with {storage} both "
            f"mount instead, or {together}"
        )
    elif plan.kind is VolumeKind.CLAIM_PER_REPLICA:
        text = (
            f"a volumeClaimTemplate: each StatefulSet of pods {pods} makes claims of its own, "
            f"per replica; the split-out ones start empty; to share the data, a claim with "
            f"{storage} both mount instead, or {together}"
        )
    elif plan.kind is VolumeKind.INPUT_CLAIM:
        text = (
            f"the manifest's claim {plan.source}, mounted by pods {pods}: it needs {storage} "
            f"(ReadWriteOnce only while the pods share a node), or {together}"
        )
    elif plan.kind is VolumeKind.SHARED_CLAIM:
        text = f"mounted by pods {pods}: its claim needs storage with {storage}, or {together}"
    else:
        text = ""
    return Attention(plan.name, text)


# Where a path may start inside a shell line: after a space, a quote, =, a redirection...
_PATH_IN_WORD = re.compile(r"(?:^|(?<=[\s'\"=<>|;&()]))(/[^\s'\"<>|;&()]*)")


def _probe_paths(container: Container) -> list[Attention]:
    """A readiness probe that reads a path under a host mount left out of the pod fails
    there for ever: the pod never turns ready."""
    if container.probe is None or not container.host_mounts:
        return []
    found = []
    seen: set[tuple[str, HostMount]] = set()
    for word in container.probe.command:
        for path in _PATH_IN_WORD.findall(word):
            for mount in container.host_mounts:
                target = mount.target.rstrip("/")
                under = path == (target or "/") or path.startswith(f"{target}/")
                if under and (path, mount) not in seen:
                    seen.add((path, mount))
                    found.append(
                        Attention(
                            container.name,
                            f"its healthcheck (the readiness probe) uses {path}, from the "
                            f"host path {mount.source} bound at {mount.target}, which the pod "
                            "does not have: the probe would fail and the pod never be ready; "
                            "change the healthcheck, or give the pod that path another way",
                        )
                    )
    return found


def _secrets_written(inventory: Inventory) -> list[str]:
    """The Secrets the manifests carry with a value in them."""
    names = [
        s.name
        for s in inventory.file_sets
        if s.kind is FileKind.SECRET and not s.external and any(v for _, v in s.files)
    ]
    names += [
        f"{dns_label(c.name)}-env"
        for c in inventory.containers
        if any(c.is_secret_env(name, value) and value for name, value in c.env)
    ]
    return names
