"""Write rules/workload-schema.json: the Kubernetes API's types of the workloads pod-advisor
reads and writes, cut down from kubernetes-validate's strict schemas to what a type check
needs (each object's fields, each field's type, the fields it requires).

The audit carries manifests over field for field, so every field must have the type the
API server takes; the tool checks them against this file (formats/kubernetes/schema.py)
without depending on kubernetes-validate's 100 MB of schemas at run time. Run it again
for a newer Kubernetes:

    python tools/workload_schema.py 1.37.0 > rules/workload-schema.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

KINDS = {
    "Pod": "io.k8s.api.core.v1.Pod",
    "Deployment": "io.k8s.api.apps.v1.Deployment",
    "StatefulSet": "io.k8s.api.apps.v1.StatefulSet",
    "DaemonSet": "io.k8s.api.apps.v1.DaemonSet",
    "ReplicaSet": "io.k8s.api.apps.v1.ReplicaSet",
    "Job": "io.k8s.api.batch.v1.Job",
    "CronJob": "io.k8s.api.batch.v1.CronJob",
}
SKIPPED = ("status",)  # never written: the server fills it in


def main(version: str) -> None:
    import kubernetes_validate

    folder = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    definitions = json.loads(
        (folder / f"v{version}-local-strict" / "_definitions.json").read_text()
    )["$defs"]
    types: dict[str, Any] = {}
    pending = list(KINDS.values())
    while pending:
        name = pending.pop()
        if name in types:
            continue
        schema = definitions[name]
        fields = {
            key: _type(value, pending)
            for key, value in sorted(schema.get("properties", {}).items())
            if key not in SKIPPED
        }
        types[name] = {"fields": fields, "required": sorted(schema.get("required", []))}
    document = {"kubernetes": version, "kinds": KINDS, "types": dict(sorted(types.items()))}
    json.dump(document, sys.stdout, indent=1)
    sys.stdout.write("\n")


def _type(schema: dict[str, Any], pending: list[str]) -> Any:
    """A field's type: "text", "integer", "number", "boolean", "quantity" (text or a
    number), "int-or-text", "any", {"object": NAME}, {"list": TYPE} or {"map": TYPE}."""
    ref = schema.get("$ref")
    if ref is not None:
        name = ref.rsplit("/", 1)[-1]
        if name.endswith("resource.Quantity"):
            return "quantity"
        if name.endswith("intstr.IntOrString"):
            return "int-or-text"
        if name.endswith(("meta.v1.Time", "meta.v1.MicroTime")):
            return "text"
        if name.endswith(("runtime.RawExtension", "apiextensions.v1.JSON")):
            return "any"
        pending.append(name)
        return {"object": name}
    kinds = schema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else [k for k in kinds if k != "null"]
    if kinds == ["string"]:
        return "text"
    if kinds in (["integer"], ["number"], ["boolean"]):
        return kinds[0]
    if kinds == ["array"]:
        return {"list": _type(schema.get("items", {}), pending)}
    if kinds == ["object"]:
        extra = schema.get("additionalProperties")
        return {"map": _type(extra, pending)} if isinstance(extra, dict) else "any"
    if "oneOf" in schema:
        return "any"
    raise SystemExit(f"no type for {schema}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "1.37.0")
