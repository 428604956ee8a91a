"""Helpers shared by the tests: the shop example, inline inventories, a strict manifest check."""

import os
import re
from pathlib import Path

import kubernetes_validate

from advisor.formats.inventory import inventory_from_data

REPO = Path(__file__).resolve().parent.parent
SHOP = REPO / "examples" / "shop"
SHOP_INVENTORY = SHOP / "app.yaml"
SHOP_ANSWERS = SHOP / "answers.yaml"
K8S_VERSION = "1.37.0"
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


def corpus_folder() -> Path | None:
    """``../shared/corpus/compose`` beside the repository, or ``$POD_ADVISOR_CORPUS``."""
    override = os.environ.get("POD_ADVISOR_CORPUS")
    candidates = [Path(override)] if override else []
    candidates.append(REPO.parent / "shared/corpus/compose")
    return next((c for c in candidates if c.is_dir()), None)


QUESTIONS = ("same_host", "single_unit", "unified_whole", "scale_together", "fits_node")


def container(name, image="example/app:1", **fields):
    """One inventory container entry as the user would write it."""
    return {"name": name, "image": image, **fields}


def inventory_dict(*containers, node=None, name=None):
    data = {}
    if name is not None:
        data["name"] = name
    if node is not None:
        data["node"] = node
    data["containers"] = list(containers)
    return data


def random_inventory(rng, size, resources_share=0.7):
    """``size`` containers, some binding port 80 or 81, most requesting CPU on a 4-core node:
    inventories where ports and capacity keep some pairs apart."""
    containers = []
    for i in range(size):
        fields = {}
        if rng.random() < 0.3:
            fields["ports"] = [rng.choice([80, 81])]
        if rng.random() < resources_share:
            fields["resources"] = {"cpu": f"{rng.choice([500, 1500, 2500])}m"}
        containers.append(container(f"c{i}", **fields))
    return inventory_from_data(inventory_dict(*containers, node={"cpu": "4"}), "app.yaml")


def all_yes():
    return {q: "yes" for q in QUESTIONS}


def assert_valid_pod(manifest):
    """The manifest passes the API schema strictly, and the checks the schema leaves out:
    DNS-1123 names and unique keys of the schema's list-type maps. Claims, Services, Secrets
    and ConfigMaps are checked by the schema and their names; workloads through their pod
    template."""
    kubernetes_validate.validate(manifest, K8S_VERSION, strict=True)
    assert DNS_LABEL.match(manifest["metadata"]["name"]), manifest["metadata"]["name"]
    kinds = (
        "PersistentVolumeClaim",
        "Service",
        "Secret",
        "ConfigMap",
        "NetworkPolicy",
        "Namespace",
        "Ingress",
    )
    if manifest["kind"] in kinds:
        return
    spec = pod_spec(manifest)
    everyone = spec["containers"] + spec.get("initContainers", [])
    names = [c["name"] for c in everyone]
    assert len(names) == len(set(names)), names
    volumes = [v["name"] for v in spec.get("volumes", [])]
    # A StatefulSet's claim templates are volumes of its pods too.
    volumes += [t["metadata"]["name"] for t in manifest["spec"].get("volumeClaimTemplates", [])]
    assert len(volumes) == len(set(volumes)), volumes
    for volume in volumes:
        assert DNS_LABEL.match(volume), volume
    for c in everyone:
        assert DNS_LABEL.match(c["name"]), c["name"]
        paths = [m["mountPath"] for m in c.get("volumeMounts", [])]
        assert len(paths) == len(set(paths)), f"{c['name']} mounts twice at one path: {paths}"
        for mount in c.get("volumeMounts", []):
            assert mount["name"] in volumes, f"{c['name']} mounts undeclared {mount['name']}"
        ports = [(p["containerPort"], p.get("protocol", "TCP")) for p in c.get("ports", [])]
        assert len(ports) == len(set(ports)), ports
        env = [e["name"] for e in c.get("env", [])]
        assert len(env) == len(set(env)), env


WORKLOAD_KINDS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")


def pod_spec(manifest):
    """The pod spec of a Pod or of any workload's pod template."""
    spec = manifest["spec"]
    if manifest["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec if manifest["kind"] == "Pod" else spec["template"]["spec"]


def pods_of(manifests):
    """Every pod among ``manifests``, bare or a workload's, as a Pod with the workload's
    name and labels."""
    return [
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": m["metadata"],
            "spec": pod_spec(m),
        }
        for m in manifests
        if m["kind"] in WORKLOAD_KINDS
    ]


def plan_compose_files(folder, services, *options, together=()):
    """Plan a compose file of ``services`` into ``folder/out`` (the pairs ``together``
    answered yes to every question); the documents of pods.yaml, each checked valid, and
    layout.yaml."""
    import yaml

    from advisor.cli import main

    compose = folder / "compose.yaml"
    compose.write_text(yaml.safe_dump({"services": services}))
    out = folder / "out"
    arguments = ["plan", str(compose), "--out", str(out), *options]
    if together:
        answers = folder / "answers.yaml"
        yes = dict.fromkeys(QUESTIONS, "yes")
        answers.write_text(yaml.safe_dump({"version": 1, "pairs": {p: yes for p in together}}))
        arguments += ["--answers", str(answers)]
    assert main(arguments) == 0
    documents = list(yaml.safe_load_all((out / "pods.yaml").read_text()))
    for document in documents:
        assert_valid_pod(document)
    return documents, yaml.safe_load((out / "layout.yaml").read_text())
