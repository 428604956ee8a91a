"""The name each pod's workload is written under, decided once for every output: the pod's
own name (its first member's) as a DNS label, except where the API server would refuse it
for the pod's kind. A StatefulSet's or CronJob's name is part of longer names its controller
makes (a StatefulSet's revision label, a CronJob's Jobs), so past ``MAX_WORKLOAD_NAME``
characters it is cut and given a hash, and numbered when the cut name is another pod's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from advisor.domain.model import Workload
from advisor.domain.names import MAX_WORKLOAD_NAME, dns_label, fitted, unique_fitted
from advisor.layout.partition import Pod
from advisor.layout.workloads import WorkloadPlan

# Kinds whose own name the API server caps at MAX_WORKLOAD_NAME.
SHORT_NAMED = (Workload.STATEFULSET, Workload.CRONJOB)


@dataclass(frozen=True)
class WrittenName:
    """The name a pod's manifest has, and why it is not the pod's own (None: it is)."""

    name: str
    renamed_because: str | None = None


def written_names(pods: Iterable[Pod], plans: Mapping[str, WorkloadPlan]) -> dict[str, WrittenName]:
    """Each pod's written name, by the pod's own name (``Pod.name``)."""
    pods = list(pods)
    taken = {dns_label(pod.name) for pod in pods}  # a cut name must not come to another's
    names = {}
    for pod in pods:
        own = dns_label(pod.name)
        kind = plans[pod.name].kind
        if kind not in SHORT_NAMED or len(own) <= MAX_WORKLOAD_NAME:
            names[pod.name] = WrittenName(own)
            continue
        name = unique_fitted(own, MAX_WORKLOAD_NAME, taken)
        why = (
            f"a {kind.kind}'s name stops at {MAX_WORKLOAD_NAME} characters (its controller "
            f"adds to it to name what it makes), so {own} is cut and given a hash"
        )
        if name != fitted(own, MAX_WORKLOAD_NAME):
            why += f", then numbered: {fitted(own, MAX_WORKLOAD_NAME)} is another pod's name"
        names[pod.name] = WrittenName(name, why)
    return names
