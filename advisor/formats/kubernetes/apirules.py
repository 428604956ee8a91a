"""What the API server refuses on create that no field's type says, refused on input; and
what it fills in or takes on a running pod only, named so the reader can leave it out.

The schema (``schema``) says a selector is a mapping and ``restartPolicy`` text; the API
server also wants the selector to select the pod template, and a policy the workload's
kind can run. A Pod copied from ``kubectl get -o yaml`` after ``kubectl debug`` carries
``ephemeralContainers``, which no create takes; a Job made with ``generateName`` has no
name to write. Each refusal is one line naming the file, the line, the workload and the
field.
"""

from __future__ import annotations

import re
from typing import Any

from advisor.domain.errors import InputError
from advisor.domain.names import MAX_LABEL, MAX_WORKLOAD_NAME
from advisor.formats.fields import Fields
from advisor.formats.kubernetes.checks import is_subdomain

DEFAULT_NAMESPACE = "default"  # what a manifest without a namespace is applied to, by convention
# The pod restart policies each kind's pods may have (the API server's validation).
_RESTART_POLICIES = {
    "Pod": ("Always", "OnFailure", "Never"),
    "Deployment": ("Always",), "StatefulSet": ("Always",), "DaemonSet": ("Always",),
    "ReplicaSet": ("Always",), "Job": ("OnFailure", "Never"), "CronJob": ("OnFailure", "Never"),
}  # fmt: skip
_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
# A label's value, and a label's or an annotation's key: an optional DNS subdomain prefix
# and "/", then a name of the same characters as a value (which may also be empty).
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
_PREFIX = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_MAX_PREFIX = 253
_JOBS = ("Job", "CronJob")


def same_namespace(namespace: str | None) -> str:
    """``namespace`` as the cluster compares it: none is the namespace applied to."""
    return namespace or DEFAULT_NAMESPACE


def generated_name(metadata: Fields, taken: set[str], numbers: dict[str, int]) -> str | None:
    """For a workload with ``metadata.generateName`` and no ``name`` (as ``kubectl create``
    takes it): a name made of the prefix, numbered past ``taken``, set in ``metadata``;
    the note that says so. None when the workload has a name, or nothing to make one of.
    ``numbers`` keeps the last number each prefix was given, so that many workloads of
    one prefix are numbered in linear time."""
    prefix = metadata.data.get("generateName")
    if metadata.data.get("name") is not None or not isinstance(prefix, str):
        return None
    base = prefix.rstrip("-.")
    if not base:
        return None  # "missing 'name'" says it best
    if not is_subdomain(base):
        metadata.fail(
            "generateName",
            f"{prefix!r} begins no DNS-1123 subdomain (lowercase letters, digits, - and .)",
        )
    number = numbers.get(base, 1)
    name = base if number == 1 else f"{base}-{number}"
    while name in taken:
        number += 1
        name = f"{base}-{number}"
    numbers[base] = number
    metadata.data["name"] = name
    return (
        f"no metadata.name: named {name} after its metadata.generateName {prefix!r} (the "
        "API server would add random characters to it on each create)"
    )


def check_name_length(metadata: Fields, kind: str, name: str) -> None:
    """A Job's name becomes a label of its pods (63 characters at most); a CronJob's leaves
    room for the time its Jobs are named with (52): the API server refuses either longer."""
    limit = {"Job": MAX_LABEL, "CronJob": MAX_WORKLOAD_NAME}.get(kind)
    if limit is not None and len(name) > limit:
        metadata.fail("name", f"has {len(name)} characters: a {kind}'s can have {limit} at most")


def check_labels(workload: Fields) -> None:
    """The labels (keys and values) and annotation keys of the workload and of each of its
    templates, and its selector's labels, as the API server checks them: a value of at most
    63 letters, digits, ``-``, ``_`` and ``.``, a key of an optional DNS prefix and a name."""
    labels, annotations = _label_maps(workload)
    for mapping in labels:
        for key, value in mapping.data.items():
            _check_key(mapping, key)
            _check_value(mapping, key, value)
    for mapping in annotations:
        for key in mapping.data:
            _check_key(mapping, key)


def _label_maps(workload: Fields) -> tuple[list[Fields], list[Fields]]:
    """The label maps (``metadata.labels``, a selector's ``matchLabels``) and annotation
    maps of a workload and of its templates, the outermost first."""
    labels: list[Fields | None] = []
    annotations: list[Fields | None] = []
    owners: list[Fields | None] = [workload]
    for owner in owners:  # grows as templates are found
        if owner is None:
            continue
        metadata = owner.sub("metadata")
        if metadata is not None:
            labels.append(metadata.sub("labels"))
            annotations.append(metadata.sub("annotations"))
        spec = owner.sub("spec")
        if spec is None:
            continue
        selector = spec.sub("selector")
        labels.append(selector.sub("matchLabels") if selector is not None else None)
        owners += [spec.sub("template"), spec.sub("jobTemplate")]
        owners += [
            Fields(
                spec.source, data, f"{spec.dotted('volumeClaimTemplates')}[{index}]", items, index
            )
            for index, data, items in spec.items("volumeClaimTemplates")
        ]
    return [m for m in labels if m is not None], [m for m in annotations if m is not None]


def _check_key(mapping: Fields, key: str) -> None:
    prefix, slash, name = key.rpartition("/")
    if slash and (len(prefix) > _MAX_PREFIX or not _PREFIX.fullmatch(prefix)):
        mapping.fail(key, f"the prefix {prefix!r} is no DNS-1123 subdomain")
    if not name or len(name) > MAX_LABEL or not _LABEL_VALUE.fullmatch(name):
        mapping.fail(key, f"{name!r} is no label name ({_VALID})")


def _check_value(labels: Fields, key: str, value: str) -> None:
    if len(value) > MAX_LABEL or not _LABEL_VALUE.fullmatch(value):
        labels.fail(key, f"{value!r} is no label value ({_VALID})")


_VALID = f"at most {MAX_LABEL} letters, digits, -, _ and ., a letter or digit at each end"


def check_restart_policy(pod: Fields, kind: str) -> None:
    """The pod template's ``restartPolicy`` is one ``kind`` runs: Always for the kinds
    that keep their pods running, OnFailure or Never for a Job's (which must say which)."""
    allowed = _RESTART_POLICIES[kind]
    policy = pod.data.get("restartPolicy")
    choices = " or ".join(allowed)
    if policy is None and kind in _JOBS:
        line, column = pod.where() or (None, None)
        raise InputError(
            pod.source,
            f"{pod.dotted('restartPolicy')}: missing: a {kind}'s pods restart {choices} "
            "(the default, Always, would never let it complete)",
            line,
            column,
        )
    if policy is not None and policy not in allowed:
        pod.fail("restartPolicy", f"{policy!r}: a {kind}'s pods can only be {choices}")


def check_selector(workload: Fields, kind: str) -> None:
    """The workload's ``selector`` selects the pods of its own template, as the API server
    requires (``selector does not match template labels``); a Job's only when it sets
    ``manualSelector`` (else the selector is generated)."""
    spec = workload.sub("spec")
    if spec is not None and kind == "CronJob":
        job = spec.sub("jobTemplate")
        spec = job.sub("spec") if job is not None else None
    if spec is None or kind == "Pod":
        return
    if kind in _JOBS and spec.data.get("manualSelector") is not True:
        return
    selector = spec.sub("selector")
    if selector is None:
        spec.fail("selector", f"missing: a {kind} needs one that selects its pods")
    template = spec.sub("template")
    metadata = template.sub("metadata") if template is not None else None
    labels = (metadata.data.get("labels") if metadata is not None else None) or {}
    match = selector.data.get("matchLabels") or {}
    expressions = selector.data.get("matchExpressions") or []
    if not match and not expressions:
        spec.fail("selector", f"is empty: a {kind} must select its pods by their labels")
    for key, value in match.items():
        if labels.get(key) != value:
            spec.fail(
                "selector",
                f"selector does not match template labels (the template has no {key}: {value})",
            )
    for index, data, items in selector.items("matchExpressions"):
        expression = Fields(
            selector.source, data, f"{selector.dotted('matchExpressions')}[{index}]", items, index
        )
        if not _matches(expression, labels):
            spec.fail("selector", "selector does not match template labels "
                      f"({expression.path.rpartition('.')[2]} selects none of them)")  # fmt: skip


def _matches(expression: Fields, labels: dict[str, Any]) -> bool:
    """Whether a ``matchExpressions`` entry selects ``labels``; refuse one the API would."""
    key, operator = str(expression.data.get("key")), expression.data.get("operator")
    values = expression.data.get("values") or []
    if operator not in _OPERATORS:
        expression.fail("operator", f"{operator!r} is none of {', '.join(_OPERATORS)}")
    if operator in ("In", "NotIn") and not values:
        expression.fail("values", f"missing: {operator} needs at least one value")
    if operator in ("Exists", "DoesNotExist") and values:
        expression.fail("values", f"must be empty for {operator}")
    if operator == "In":
        return labels.get(key) in values
    if operator == "NotIn":
        return labels.get(key) not in values
    return (key in labels) is (operator == "Exists")


def _pod_spec_of(document: dict[str, Any]) -> dict[str, Any] | None:
    """The pod spec of a workload's plain manifest (types checked), or None."""
    spec = document.get("spec")
    if isinstance(spec, dict) and document.get("kind") == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec")
    if isinstance(spec, dict) and document.get("kind") != "Pod":
        spec = (spec.get("template") or {}).get("spec")
    return spec if isinstance(spec, dict) else None


def drop_ephemeral(document: dict[str, Any]) -> str | None:
    """Remove the ``ephemeralContainers`` of a plain manifest (``kubectl debug`` adds them to
    a running pod; no create, nor a pod template, takes them); the note that says so."""
    spec = _pod_spec_of(document)
    dropped = spec.pop("ephemeralContainers", None) if spec is not None else None
    if not dropped:
        return None
    names = ", ".join(str(c.get("name")) for c in dropped if isinstance(c, dict))
    return (
        f"ephemeralContainers ({names}) left out: kubectl debug adds them to a running pod, "
        "and the API server takes none on create"
    )
