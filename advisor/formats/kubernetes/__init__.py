"""Kubernetes manifests that already run, read into an inventory whose pods are the proposal."""
