"""pod-advisor: decide which containers share a Kubernetes Pod, and write the manifests."""

__version__ = "0.1.0"
