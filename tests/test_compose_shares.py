"""Named volumes whose data lives elsewhere (compose ``driver_opts``): an NFS share becomes a
PersistentVolume its claim binds to; a bind in disguise and other drivers get a note."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml
from helpers import K8S_VERSION, pods_of
from test_kustomize_build import assert_builds_into_pods_yaml

from advisor.cli import main
from advisor.formats.compose.reader import load_compose

NFS = {"type": "nfs", "o": "addr=10.0.0.1,nfsvers=4,soft,rw", "device": ":/export/shop"}


def write(folder: Path, services: dict[str, Any], volumes: dict[str, Any]) -> Path:
    path = folder / "compose.yaml"
    data = {"name": "shop", "services": services, "volumes": volumes}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def plan(compose: Path, *extra: str) -> list[dict[str, Any]]:
    out = compose.parent / "out"
    assert main(["plan", str(compose), "--out", str(out), *extra]) == 0
    documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    return documents


def of_kind(documents: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [d for d in documents if d["kind"] == kind]


def test_an_nfs_volume_is_a_persistent_volume_its_claim_binds_to(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {"app": {"image": "app:1", "volumes": ["media:/media"]}},
        {"media": {"driver_opts": NFS}},
    )
    documents = plan(compose)
    (volume,) = of_kind(documents, "PersistentVolume")
    assert volume["metadata"]["name"] == "shop-media"
    assert volume["spec"] == {
        "capacity": {"storage": "1Gi"},
        "accessModes": ["ReadWriteMany"],
        "persistentVolumeReclaimPolicy": "Retain",
        "storageClassName": "",
        "mountOptions": ["nfsvers=4", "soft"],
        "nfs": {"server": "10.0.0.1", "path": "/export/shop"},
    }
    (claim,) = of_kind(documents, "PersistentVolumeClaim")
    assert claim["spec"]["volumeName"] == "shop-media"
    assert claim["spec"]["storageClassName"] == ""
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    (pod,) = pods_of(documents)
    assert {"name": "media", "persistentVolumeClaim": {"claimName": "media"}} in pod["spec"][
        "volumes"
    ]


def test_the_server_may_stand_in_the_device(tmp_path: Path) -> None:
    opts = {"type": "nfs4", "o": "ro", "device": "nas.local:/media"}
    compose = write(
        tmp_path,
        {"app": {"image": "app:1", "volumes": ["media:/media"]}},
        {"media": {"driver_opts": opts}},
    )
    (volume,) = of_kind(plan(compose), "PersistentVolume")
    assert volume["spec"]["nfs"] == {"server": "nas.local", "path": "/media", "readOnly": True}
    assert volume["spec"]["accessModes"] == ["ReadOnlyMany"]


def test_the_note_says_where_the_data_is(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {"app": {"image": "app:1", "volumes": ["media:/media"]}},
        {"media": {"driver_opts": NFS}},
    )
    assert any(
        w.startswith("volumes.media: the NFS share 10.0.0.1:/export/shop is written as a ")
        for w in load_compose(compose).warnings
    )


def test_a_datastores_nfs_volume_is_never_a_claim_template(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {"db": {"image": "postgres:16", "volumes": ["pgdata:/var/lib/postgresql/data"]}},
        {"pgdata": {"driver_opts": NFS}},
    )
    documents = plan(compose)
    (workload,) = of_kind(documents, "StatefulSet")
    assert "volumeClaimTemplates" not in workload["spec"]
    (pod,) = pods_of(documents)
    assert {"name": "pgdata", "persistentVolumeClaim": {"claimName": "pgdata"}} in pod["spec"][
        "volumes"
    ]
    assert [c["spec"]["volumeName"] for c in of_kind(documents, "PersistentVolumeClaim")] == [
        "shop-pgdata"
    ]


def test_two_pods_share_one_nfs_claim(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {
            "app": {"image": "app:1", "volumes": ["media:/media"]},
            "worker": {"image": "worker:1", "volumes": ["media:/work"]},
        },
        {"media": {"driver_opts": NFS}},
    )
    documents = plan(compose)
    assert len(of_kind(documents, "PersistentVolume")) == 1
    assert len(of_kind(documents, "PersistentVolumeClaim")) == 1
    assert len(pods_of(documents)) == 2


def test_a_bind_in_disguise_is_a_note_naming_the_host_folder(tmp_path: Path) -> None:
    opts = {"type": "none", "o": "bind", "device": "/srv/shop/data"}
    compose = write(
        tmp_path,
        {"app": {"image": "app:1", "volumes": ["data:/data"]}},
        {"data": {"driver_opts": opts}},
    )
    documents = plan(compose)
    assert of_kind(documents, "PersistentVolume") == []
    assert any(
        w.startswith("volumes.data: a bind mount of the Docker host's folder /srv/shop/data")
        for w in load_compose(compose).warnings
    )


def test_an_nfs_volume_without_a_path_is_a_note(tmp_path: Path) -> None:
    opts = {"type": "nfs", "o": "addr=10.0.0.1"}
    compose = write(
        tmp_path,
        {"app": {"image": "app:1", "volumes": ["media:/media"]}},
        {"media": {"driver_opts": opts}},
    )
    assert of_kind(plan(compose), "PersistentVolume") == []
    assert any("cannot be read from driver_opts" in w for w in load_compose(compose).warnings)


def test_a_plain_named_volume_is_untouched(tmp_path: Path) -> None:
    compose = write(tmp_path, {"app": {"image": "app:1", "volumes": ["data:/data"]}}, {"data": {}})
    documents = plan(compose)
    assert of_kind(documents, "PersistentVolume") == []
    (claim,) = of_kind(documents, "PersistentVolumeClaim")
    assert "volumeName" not in claim["spec"]
    assert load_compose(compose).warnings == ()


def test_a_kustomize_folder_with_a_share_builds(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {"app": {"image": "app:1", "volumes": ["media:/media"]}},
        {"media": {"driver_opts": NFS}},
    )
    plan(compose, "--kustomize")
    assert (tmp_path / "out" / "kustomize" / "persistentvolume-shop-media.yaml").is_file()
    assert_builds_into_pods_yaml(tmp_path / "out")


def test_the_report_says_the_share_holds_the_data_and_needs_no_other_storage(
    tmp_path: Path,
) -> None:
    compose = write(
        tmp_path,
        {
            "app": {"image": "app:1", "volumes": ["media:/media"]},
            "worker": {"image": "worker:1", "volumes": ["media:/work"]},
        },
        {"media": {"driver_opts": NFS}},
    )
    plan(compose)
    report = (tmp_path / "out" / "report.md").read_text()
    assert (
        "- media: the NFS share 10.0.0.1:/export/shop, a claim bound to its PersistentVolume, "
        "for app, worker in pod app, worker"
    ) in report
    assert "its claim needs storage with ReadWriteMany" not in report


def test_layout_yaml_names_the_share(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {"app": {"image": "app:1", "volumes": ["media:/media"]}},
        {"media": {"driver_opts": NFS}},
    )
    plan(compose)
    layout = yaml.safe_load((tmp_path / "out" / "layout.yaml").read_text())
    (volume,) = layout["volumes"]
    assert volume["nfs"] == "10.0.0.1:/export/shop"
