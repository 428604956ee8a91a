"""What a container's own evidence says about how it runs, before anyone answers: a
scheduled or one-off job, a node agent, or (None) a long-running application. The role
question offers it first; the user's answer decides."""

from __future__ import annotations

from advisor.domain.hostpaths import is_agent_path
from advisor.domain.model import Container, Workload


def evident_kind(container: Container) -> Workload | None:
    """Job for a schedule, a run to completion or no restart; DaemonSet for a node agent
    (``deploy.mode: global``, the node's logs, /proc or /sys bound); else None."""
    runs = container.runs
    if runs.schedule or runs.completes or runs.restart in ("no", "on-failure"):
        return Workload.JOB
    if runs.every_node or any(is_agent_path(m.source) for m in container.host_mounts):
        return Workload.DAEMONSET
    return None
