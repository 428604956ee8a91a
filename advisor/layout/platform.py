"""What a platform team checks in the manifests beyond the pods: the namespace they are
written in, and what Docker gave the containers that the cluster gives another way."""

from __future__ import annotations

from advisor.layout.advice import Advice


def platform_notes(advice: Advice) -> list[tuple[str, str]]:
    """(subject, text) for each thing to check, in a stable order."""
    notes: list[tuple[str, str]] = []
    if advice.namespace is not None:
        for pod in advice.inventory.running:
            if pod.namespace not in (None, advice.namespace):
                notes.append(
                    (
                        pod.label,
                        f"written in namespace {advice.namespace} (--namespace), not in "
                        f"{pod.namespace} as its manifest says",
                    )
                )
    return notes
