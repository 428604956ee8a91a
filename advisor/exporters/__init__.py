"""Advice out: Kubernetes manifests, layout.yaml for scripts, report.md for people."""
