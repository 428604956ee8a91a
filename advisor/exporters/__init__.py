"""Advice out: Kubernetes manifests, layout.yaml for scripts, report.md for people.

The choices the command line offers live here, where ``--help`` can read them without
importing the exporters (and networkx behind them).
"""

WORKLOADS = ("pod", "deployment", "statefulset")
DEFAULT_VOLUME_SIZE = "1Gi"
