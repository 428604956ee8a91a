"""Every name a container uses to reach another resolves: a Service under that name, in front
of the pod the other lands in, with its ports (headless when it declares none)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import plan_compose_files, pods_of


def plan(tmp_path: Path, services: dict[str, Any], *options: str, together=()) -> dict[str, Any]:
    """Plan a compose file; return its documents by (kind, name) and its layout.yaml."""
    documents, layout = plan_compose_files(tmp_path, services, *options, together=together)
    return {
        "by_name": {(d["kind"], d["metadata"]["name"]): d for d in documents},
        "layout": layout,
    }


def services(result: dict[str, Any]) -> dict[str, Any]:
    return {name: d for (kind, name), d in result["by_name"].items() if kind == "Service"}


def test_a_host_name_in_the_environment_gets_a_service_with_the_ports(tmp_path):
    result = plan(
        tmp_path,
        {
            "app": {"image": "php:8-fpm", "environment": {"MYSQL_HOST": "db"}},
            "db": {"image": "mysql:8", "expose": ["3306"]},
        },
    )
    db = services(result)["db"]
    assert db["spec"]["selector"] == {"app.kubernetes.io/name": "db"}
    assert [(p["port"], p["protocol"]) for p in db["spec"]["ports"]] == [(3306, "TCP")]
    assert set(services(result)) == {"db"}  # nobody reaches app


def test_urls_and_host_port_lists_name_their_hosts(tmp_path):
    result = plan(
        tmp_path,
        {
            "app": {
                "image": "example/app:1",
                "environment": [
                    "CACHE_URL=redis://cache:6379/0",
                    "DATABASE_URL=postgres://user:secret@db:5432/app",
                    "SEARCH=search1:9200,search2:9200",
                    "MODE=production",
                ],
            },
            "cache": {"image": "redis:7", "expose": [6379]},
            "db": {"image": "postgres:16", "expose": [5432]},
            "search1": {"image": "opensearch:2", "expose": [9200]},
            "search2": {"image": "opensearch:2", "expose": [9200]},
            "production": {"image": "example/other:1", "expose": [80]},
        },
    )
    # MODE=production names no host: a value that equals a service's name is not a reach.
    assert set(services(result)) == {"cache", "db", "search1", "search2"}


def test_depends_on_and_link_aliases_are_names_too(tmp_path):
    result = plan(
        tmp_path,
        {
            "web": {"image": "nginx", "depends_on": ["app"], "links": ["app:backend"]},
            "app": {"image": "example/app:1", "expose": [9000]},
        },
    )
    assert set(services(result)) == {"app", "backend"}
    assert services(result)["backend"]["spec"]["selector"] == {"app.kubernetes.io/name": "app"}


def test_a_container_name_others_use_as_a_host_name_resolves(tmp_path):
    # Docker's DNS resolves a container_name on the project network: app reaches db as my-db.
    result = plan(
        tmp_path,
        {
            "app": {"image": "example/app", "environment": {"DB_HOST": "my-db"}},
            "db": {"image": "postgres:16", "container_name": "my-db", "ports": ["5432"]},
        },
    )
    assert set(services(result)) == {"db", "my-db"}
    my_db = services(result)["my-db"]
    assert my_db["spec"]["selector"] == {"app.kubernetes.io/name": "db"}
    assert [p["port"] for p in my_db["spec"]["ports"]] == [5432]


def test_a_container_name_nobody_uses_makes_no_service(tmp_path):
    result = plan(
        tmp_path,
        {"app": {"image": "example/app"}, "db": {"image": "pg", "container_name": "my-db"}},
    )
    assert services(result) == {}


def test_network_aliases_of_a_reached_service_all_resolve(tmp_path):
    result = plan(
        tmp_path,
        {
            "web": {"image": "nginx", "environment": {"UPSTREAM": "http://api:8080/"}},
            "api": {
                "image": "example/api:1",
                "expose": [8080],
                "networks": {"default": {"aliases": ["api.internal", "backend"]}},
            },
        },
    )
    assert set(services(result)) == {"api", "api-internal", "backend"}
    names = [i["what"] for i in result["layout"]["needs_attention"]]
    assert any("'api.internal', which is not a valid Service name" in n for n in names)


def test_a_service_selects_the_pod_its_container_shares(tmp_path):
    result = plan(
        tmp_path,
        {
            "web": {"image": "nginx", "ports": ["80:80"]},
            "proxy": {"image": "envoyproxy/envoy:v1.30", "expose": [9901]},
            "client": {"image": "curlimages/curl", "environment": {"TARGET": "proxy:9901"}},
        },
        together=["web + proxy"],
    )
    pods = pods_of(result["by_name"].values())
    (pod,) = [d for d in pods if {c["name"] for c in d["spec"]["containers"]} == {"web", "proxy"}]
    proxy = services(result)["proxy"]
    assert proxy["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
    assert [p["port"] for p in proxy["spec"]["ports"]] == [9901]


def test_a_reached_service_without_a_port_is_headless_and_flagged(tmp_path):
    result = plan(
        tmp_path,
        {
            "worker": {"image": "example/worker:1", "environment": {"BROKER": "queue"}},
            "queue": {"image": "example/queue:1"},
        },
    )
    queue = services(result)["queue"]
    assert queue["spec"]["clusterIP"] == "None" and "ports" not in queue["spec"]
    (item,) = result["layout"]["needs_attention"]
    assert item["subject"] == "queue"
    assert "worker (env BROKER)" in item["what"] and "declares no port" in item["what"]


def test_a_container_naming_itself_needs_no_service(tmp_path):
    result = plan(tmp_path, {"web": {"image": "nginx", "environment": {"HOSTNAME": "web"}}})
    assert services(result) == {}


def test_services_option_still_fronts_every_pod_with_ports_and_merges_by_name(tmp_path):
    result = plan(
        tmp_path,
        {
            "web": {"image": "nginx", "ports": ["80:80"], "environment": {"API": "api:8080"}},
            "tls": {"image": "example/tls:1", "expose": [443]},
            "api": {"image": "example/api:1", "expose": [8080]},
            "batch": {"image": "example/batch:1"},
        },
        "--services",
        together=["web + tls"],
    )
    found = services(result)
    pods = pods_of(result["by_name"].values())
    (front,) = [d for d in pods if {c["name"] for c in d["spec"]["containers"]} == {"web", "tls"}]
    pod = front["metadata"]["name"]
    # batch binds no port; web's published port 80 is an entry point with a Service of its own
    assert set(found) == {pod, "api", "web"}
    assert sorted(p["port"] for p in found[pod]["spec"]["ports"]) == [80, 443]
    # layout.yaml lists the Services that the names in use and the entry points need.
    api, web = result["layout"]["services"]
    assert api == {"name": "api", "pod": "api", "ports": ["8080/TCP"], "why": api["why"]}
    assert "web (env API)" in api["why"]
    assert web["why"] == "entry point: compose publishes 80:80"


def test_a_reached_name_that_is_also_a_pods_name_merges_into_one_service(tmp_path):
    result = plan(
        tmp_path,
        {
            "web": {
                "image": "nginx",
                "ports": ["80:80"],
                "labels": {"pod-advisor.role": "primary"},
            },
            "tls": {"image": "example/tls:1", "expose": [443]},
            "client": {"image": "curlimages/curl", "environment": {"TARGET": "http://web/"}},
        },
        "--services",
        together=["web + tls"],
    )
    web = services(result)["web"]
    assert sorted(p["port"] for p in web["spec"]["ports"]) == [80, 443]
