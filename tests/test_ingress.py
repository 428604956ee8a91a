"""Ingress where the compose file names a host: traefik router labels and nginx-proxy's
VIRTUAL_HOST become networking.k8s.io/v1 Ingresses to the service's Service and port."""

import shutil

import yaml
from helpers import plan_compose_files
from test_compose_corpus import FILES
from test_kustomize_build import assert_builds_into_pods_yaml

from advisor import cli


def _of(documents, kind):
    return [d for d in documents if d["kind"] == kind]


def _ingress(tmp_path, *options, **service):
    documents, layout = plan_compose_files(
        tmp_path, {"shop": {"image": "example/shop:1", **service}}, *options
    )
    return _of(documents, "Ingress"), documents, layout


def _notes(layout):
    return " ".join(item["what"] for item in layout["needs_attention"])


def _backend(name, port):
    return {"service": {"name": name, "port": {"number": port}}}


TRAEFIK = [
    "traefik.enable=true",
    "traefik.http.routers.shop.rule=Host(`shop.example.com`)",
    "traefik.http.services.shop.loadbalancer.server.port=8080",
]


def test_a_traefik_host_rule_is_an_ingress_to_the_services_port(tmp_path):
    (ingress,), _, _ = _ingress(tmp_path, labels=TRAEFIK)
    assert ingress["apiVersion"] == "networking.k8s.io/v1"
    assert ingress["spec"]["rules"] == [
        {
            "host": "shop.example.com",
            "http": {
                "paths": [{"path": "/", "pathType": "Prefix", "backend": _backend("shop", 8080)}]
            },
        }
    ]


def test_the_ingress_target_gets_a_service_on_the_routed_port(tmp_path):
    # Nothing reaches shop by name and it declares no port: the Ingress still needs one.
    _, documents, _ = _ingress(tmp_path, labels=TRAEFIK)
    (service,) = _of(documents, "Service")
    assert service["metadata"]["name"] == "shop"
    assert [p["port"] for p in service["spec"]["ports"]] == [8080]


def test_a_path_prefix_beside_the_host_is_the_rules_path(tmp_path):
    labels = {
        "traefik.http.routers.api.rule": "Host(`shop.example.com`) && PathPrefix(`/api`)",
    }
    (ingress,), _, _ = _ingress(tmp_path, labels=labels, expose=["3000"])
    (path,) = ingress["spec"]["rules"][0]["http"]["paths"]
    assert (path["path"], path["pathType"]) == ("/api", "Prefix")
    assert path["backend"] == _backend("shop", 3000)  # the one port it declares


def test_hosts_joined_by_or_are_a_rule_each(tmp_path):
    labels = ["traefik.http.routers.r.rule=Host(`a.example.com`) || Host(`b.example.com`)"]
    (ingress,), _, _ = _ingress(tmp_path, labels=labels, expose=["80"])
    assert [r["host"] for r in ingress["spec"]["rules"]] == ["a.example.com", "b.example.com"]


def test_labels_as_a_map_route_as_the_list_does(tmp_path):
    (tmp_path / "list").mkdir()
    (tmp_path / "map").mkdir()
    listed, _, _ = _ingress(tmp_path / "list", labels=TRAEFIK)
    mapped = dict(label.split("=", 1) for label in TRAEFIK)
    as_map, _, _ = _ingress(tmp_path / "map", labels=mapped)
    assert [i["spec"] for i in listed] == [i["spec"] for i in as_map]


def test_traefik_enable_false_means_no_ingress(tmp_path):
    labels = ["traefik.enable=false", *TRAEFIK[1:]]
    ingresses, _, _ = _ingress(tmp_path, labels=labels)
    assert ingresses == []


def test_a_certresolver_adds_tls_and_a_note_about_a_certificate_issuer(tmp_path):
    labels = [*TRAEFIK, "traefik.http.routers.shop.tls.certresolver=le"]
    (ingress,), _, layout = _ingress(tmp_path, labels=labels)
    assert ingress["spec"]["tls"] == [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}]
    assert "cert-manager" in _notes(layout)


def test_a_rule_an_ingress_cannot_say_is_a_note(tmp_path):
    labels = ["traefik.http.routers.r.rule=HostRegexp(`{sub:[a-z]+}.example.com`)"]
    ingresses, _, layout = _ingress(tmp_path, labels=labels, expose=["80"])
    assert ingresses == []
    assert "write its rule by hand" in _notes(layout)


def test_virtual_host_port_and_path_are_an_ingress(tmp_path):
    environment = {
        "VIRTUAL_HOST": "blog.example.org, www.example.org",
        "VIRTUAL_PORT": "2368",
        "VIRTUAL_PATH": "/blog",
    }
    (ingress,), _, _ = _ingress(tmp_path, environment=environment)
    rules = ingress["spec"]["rules"]
    assert [r["host"] for r in rules] == ["blog.example.org", "www.example.org"]
    assert {p["path"] for r in rules for p in r["http"]["paths"]} == {"/blog"}
    assert rules[0]["http"]["paths"][0]["backend"] == _backend("shop", 2368)


def test_letsencrypt_host_adds_tls_for_its_hosts(tmp_path):
    environment = {"VIRTUAL_HOST": "blog.example.org", "LETSENCRYPT_HOST": "blog.example.org"}
    (ingress,), _, _ = _ingress(tmp_path, environment=environment, expose=["80"])
    assert ingress["spec"]["tls"] == [{"hosts": ["blog.example.org"], "secretName": "shop-tls"}]


def test_ingress_class_sets_the_class(tmp_path):
    (ingress,), _, _ = _ingress(tmp_path, "--ingress-class", "nginx", labels=TRAEFIK)
    assert ingress["spec"]["ingressClassName"] == "nginx"


def test_a_bad_ingress_class_is_one_line(tmp_path, capsys):
    compose = tmp_path / "compose.yaml"
    compose.write_text(yaml.safe_dump({"services": {"a": {"image": "example/a:1"}}}))
    assert cli.main(["plan", str(compose), "--ingress-class", "Nginx!"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--ingress-class: 'Nginx!'" in err


def test_the_ingress_lands_in_the_namespace(tmp_path):
    (ingress,), _, _ = _ingress(tmp_path, "--namespace", "shop", labels=TRAEFIK)
    assert ingress["metadata"]["namespace"] == "shop"


def test_a_proxy_that_routes_from_the_docker_socket_needs_attention(tmp_path):
    services = {
        "proxy": {
            "image": "nginxproxy/nginx-proxy:1.5",
            "ports": ["80:80"],
            "volumes": ["/var/run/docker.sock:/tmp/docker.sock:ro"],
        },
        "blog": {"image": "ghost:5", "environment": {"VIRTUAL_HOST": "blog.example.org"}},
    }
    _, layout = plan_compose_files(tmp_path, services)
    proxy = [n["what"] for n in layout["needs_attention"] if n["subject"] == "proxy"]
    assert any("an Ingress controller does its job" in text for text in proxy)


def test_the_corpus_traefik_example_gets_an_ingress_and_its_kustomize_folder_builds(tmp_path):
    source = next(f for f in FILES if f.name == "awesome-compose__traefik-golang.yaml")
    compose = tmp_path / source.name
    shutil.copy(source, compose)
    out = tmp_path / "out"
    assert cli.main(["plan", str(compose), "--out", str(out), "--kustomize"]) == 0
    documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    (ingress,) = _of(documents, "Ingress")
    # Path(`/`) with no host: any host, that path alone, to the backend's port 80.
    assert ingress["spec"]["rules"] == [
        {
            "http": {
                "paths": [{"path": "/", "pathType": "Exact", "backend": _backend("backend", 80)}]
            }
        }
    ]
    assert_builds_into_pods_yaml(out)


def test_layout_yaml_lists_each_ingress_with_its_routes(tmp_path):
    labels = [*TRAEFIK, "traefik.http.routers.shop.tls.certresolver=le"]
    _, _, layout = _ingress(tmp_path, labels=labels)
    assert layout["ingresses"] == [
        {
            "name": "shop",
            "service": "shop",
            "routes": ["shop.example.com/ -> 8080 (label traefik.http.routers.shop.rule)"],
            "tls": ["shop.example.com"],
        }
    ]


def test_the_report_says_where_each_host_goes(tmp_path):
    _ingress(tmp_path, environment={"VIRTUAL_HOST": "blog.example.org"}, expose=["2368"])
    report = (tmp_path / "out" / "report.md").read_text()
    assert "- blog.example.org/ -> Service shop port 2368: env VIRTUAL_HOST" in report


def test_a_file_that_names_no_host_has_no_ingresses_in_layout_yaml(tmp_path):
    _, _, layout = _ingress(tmp_path, expose=["80"])
    assert "ingresses" not in layout


def test_a_traefik_1_frontend_rule_and_port_are_an_ingress(tmp_path):
    labels = {"traefik.frontend.rule": "Host:old.example.com;PathPrefix:/app", "traefik.port": "81"}
    (ingress,), _, _ = _ingress(tmp_path, labels=labels)
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == "old.example.com"
    assert rule["http"]["paths"] == [
        {"path": "/app", "pathType": "Prefix", "backend": _backend("shop", 81)}
    ]
