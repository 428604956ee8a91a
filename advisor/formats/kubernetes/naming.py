"""The tool's name for a container of a manifest: unique across workloads, a DNS label.

Container names repeat across workloads (every chart has one called ``app``), and a pod's
name is free of `` + ``, so each container is named ``WORKLOAD-CONTAINER`` made a DNS label
(``WORKLOAD`` alone when the container is named like its workload). A name taken by an
earlier container of the input gets ``-2``, ``-3``...: the same manifests give the same
names, which answers files and ``explain`` use.
"""

from __future__ import annotations

from advisor.domain.names import MAX_LABEL, short_label


class Names:
    """Hands out unique names in input order."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def container(self, workload: str, container: str) -> str:
        """The name of ``container`` of ``workload``."""
        wanted = workload if container == workload else f"{workload}-{container}"
        return self._unique(short_label(wanted, "container"))

    def _unique(self, name: str) -> str:
        candidate, number = name, 1
        while candidate in self.taken:
            number += 1
            suffix = f"-{number}"
            candidate = f"{name[: MAX_LABEL - len(suffix)].rstrip('-')}{suffix}"
        self.taken.add(candidate)
        return candidate
