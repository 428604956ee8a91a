"""Advice out: Kubernetes manifests, layout.yaml for scripts, report.md for people.

The choices the command line offers live here, where ``--help`` can read them without
importing the exporters.
"""

# --workload: one kind for every pod (a CronJob needs a schedule, which only a pod's own
# evidence gives).
WORKLOADS = ("pod", "deployment", "statefulset", "job", "daemonset")
DEFAULT_VOLUME_SIZE = "1Gi"
