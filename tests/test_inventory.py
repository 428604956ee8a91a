"""Loading the inventory: what a user writes becomes containers; every mistake is one
InputError that starts with the file's path and, where there is one, the line."""

import re

import pytest
from helpers import container, inventory_dict

from advisor.domain.errors import InputError
from advisor.domain.model import Role
from advisor.formats.inventory import load_inventory


def load_error(path):
    with pytest.raises(InputError) as caught:
        load_inventory(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert "\n" not in message
    return message


def line_of(message, path):
    """The line number right after the path, or None."""
    match = re.match(re.escape(str(path)) + r":(\d+)", message)
    return int(match.group(1)) if match else None


# --- what loads --------------------------------------------------------------------


def test_names_and_images_are_kept_in_inventory_order(write_yaml):
    path = write_yaml(inventory_dict(container("web", "nginx:1.27"), container("db", "pg:16")))
    inventory = load_inventory(path)
    assert [(c.name, c.image) for c in inventory.containers] == [
        ("web", "nginx:1.27"),
        ("db", "pg:16"),
    ]


def test_inventory_name_defaults_to_file_stem(write_yaml):
    path = write_yaml(inventory_dict(container("web")), name="myshop.yaml")
    assert load_inventory(path).name == "myshop"


def test_inventory_name_is_read_when_given(write_yaml):
    path = write_yaml(inventory_dict(container("web"), name="shop"))
    assert load_inventory(path).name == "shop"


def test_roles_primary_and_sidecar_and_none(write_yaml):
    path = write_yaml(
        inventory_dict(
            container("a", role="primary"), container("b", role="sidecar"), container("c")
        )
    )
    roles = [c.role for c in load_inventory(path).containers]
    assert roles == [Role.PRIMARY, Role.SIDECAR, None]


def test_ports_as_numbers_default_to_tcp(write_yaml):
    path = write_yaml(inventory_dict(container("web", ports=[8080, 8443])))
    ports = load_inventory(path).containers[0].ports
    assert [(p.number, p.protocol) for p in ports] == [(8080, "TCP"), (8443, "TCP")]


def test_ports_in_mapping_form_keep_their_protocol(write_yaml):
    path = write_yaml(
        inventory_dict(container("dns", ports=[{"containerPort": 53, "protocol": "UDP"}, 8080]))
    )
    ports = load_inventory(path).containers[0].ports
    assert [(p.number, p.protocol) for p in ports] == [(53, "UDP"), (8080, "TCP")]


def test_same_number_on_tcp_and_udp_is_two_ports(write_yaml):
    path = write_yaml(
        inventory_dict(container("dns", ports=[53, {"containerPort": 53, "protocol": "UDP"}]))
    )
    assert len(load_inventory(path).containers[0].ports) == 2


def test_resource_requests_are_parsed_to_cores_and_bytes(write_yaml):
    path = write_yaml(
        inventory_dict(container("web", resources={"cpu": "250m", "memory": "128Mi"}))
    )
    resources = load_inventory(path).containers[0].resources
    assert resources.cpu.value == pytest.approx(0.25)
    assert resources.memory.value == 128 * 2**20


def test_resource_requests_accept_plain_numbers_and_decimal_units(write_yaml):
    path = write_yaml(inventory_dict(container("web", resources={"cpu": 2, "memory": "1G"})))
    resources = load_inventory(path).containers[0].resources
    assert resources.cpu.value == 2
    assert resources.memory.value == 10**9


def test_node_capacity_is_read(write_yaml):
    path = write_yaml(inventory_dict(container("web"), node={"cpu": "1.5", "memory": "8Gi"}))
    node = load_inventory(path).node
    assert node.cpu.value == pytest.approx(1.5)
    assert node.memory.value == 8 * 2**30


def test_volume_by_name_gets_a_mount_path(write_yaml):
    path = write_yaml(inventory_dict(container("web", volumes=["webroot"])))
    (mount,) = load_inventory(path).containers[0].volumes
    assert mount.name == "webroot"
    assert mount.mount_path.startswith("/")
    assert mount.read_only is False


def test_volume_in_mapping_form_keeps_path_and_read_only(write_yaml):
    path = write_yaml(
        inventory_dict(
            container(
                "web", volumes=[{"name": "webroot", "mountPath": "/srv/www", "readOnly": True}]
            )
        )
    )
    (mount,) = load_inventory(path).containers[0].volumes
    assert (mount.name, mount.mount_path, mount.read_only) == ("webroot", "/srv/www", True)


def test_a_volume_holds_data_unless_marked_scratch(write_yaml):
    path = write_yaml(
        inventory_dict(
            container(
                "web", volumes=["site", {"name": "cache", "mountPath": "/c", "scratch": True}]
            )
        )
    )
    site, cache = load_inventory(path).containers[0].volumes
    assert (site.scratch, cache.scratch) == (False, True)


def test_scratch_must_be_yes_or_no(write_yaml):
    path = write_yaml(
        inventory_dict(container("web", volumes=[{"name": "cache", "scratch": "maybe"}]))
    )
    with pytest.raises(InputError, match=r"scratch.*must be yes or no"):
        load_inventory(path)


def test_env_map_is_kept_in_order_with_values_as_text(write_yaml):
    path = write_yaml(
        inventory_dict(container("api", env={"DB_HOST": "db", "PORT": 5432, "DEBUG": True}))
    )
    env = load_inventory(path).containers[0].env
    assert env == (("DB_HOST", "db"), ("PORT", "5432"), ("DEBUG", "true"))


def test_command_string_is_split_like_a_shell(write_yaml):
    path = write_yaml(inventory_dict(container("web", command="nginx -g 'daemon off;'")))
    assert load_inventory(path).containers[0].command == ("nginx", "-g", "daemon off;")


def test_command_list_is_passed_through(write_yaml):
    path = write_yaml(inventory_dict(container("web", command=["sh", "-c", "echo hi"])))
    assert load_inventory(path).containers[0].command == ("sh", "-c", "echo hi")


# --- what is refused ---------------------------------------------------------------


def test_missing_file(tmp_path):
    message = load_error(tmp_path / "nope.yaml")
    assert "no such file" in message


def test_folder_instead_of_file(tmp_path):
    folder = tmp_path / "app.yaml"
    folder.mkdir()
    message = load_error(folder)
    assert "folder" in message


def test_malformed_yaml_names_line_and_column(write_yaml):
    path = write_yaml("containers:\n  - name: web\n    image: [unclosed\n")
    message = load_error(path)
    assert re.match(re.escape(str(path)) + r":\d+:\d+: ", message), message
    assert "YAML" in message


def test_yaml_that_is_a_list(write_yaml):
    path = write_yaml("- name: web\n  image: nginx\n")
    message = load_error(path)
    assert "mapping" in message and "list" in message


def test_empty_file(write_yaml):
    path = write_yaml("")
    message = load_error(path)
    assert "empty" in message


def test_container_without_name_names_its_line(write_yaml):
    path = write_yaml("containers:\n  - name: web\n    image: a\n  - image: b\n")
    message = load_error(path)
    assert line_of(message, path) == 4
    assert "name" in message


def test_container_without_image_names_it(write_yaml):
    path = write_yaml("containers:\n  - name: web\n    image: a\n  - name: db\n    role: primary\n")
    message = load_error(path)
    assert line_of(message, path) == 4
    assert "image" in message and "db" in message


def test_duplicate_container_names_point_at_the_second(write_yaml):
    path = write_yaml("containers:\n  - name: web\n    image: a\n  - name: web\n    image: b\n")
    message = load_error(path)
    assert line_of(message, path) == 4
    assert "web" in message


def test_names_colliding_after_dns_conversion(write_yaml):
    path = write_yaml(
        "containers:\n  - name: my_app\n    image: a\n  - name: my-app\n    image: b\n"
    )
    message = load_error(path)
    assert line_of(message, path) == 4
    assert "my_app" in message and "my-app" in message


@pytest.mark.parametrize("port", ["70000", "0", "http", "'8080'"])
def test_bad_port_names_its_line(write_yaml, port):
    path = write_yaml(f"containers:\n  - name: web\n    image: a\n    ports:\n      - {port}\n")
    message = load_error(path)
    assert line_of(message, path) == 5
    assert "port" in message


def test_port_mapping_with_unknown_protocol(write_yaml):
    path = write_yaml(
        "containers:\n  - name: web\n    image: a\n"
        "    ports:\n      - {containerPort: 80, protocol: ICMP}\n"
    )
    message = load_error(path)
    assert line_of(message, path) == 5
    assert "ICMP" in message


def test_memory_in_megabytes_suggests_the_kubernetes_unit(write_yaml):
    path = write_yaml(
        "containers:\n  - name: web\n    image: a\n    resources:\n      memory: 500mb\n"
    )
    message = load_error(path)
    assert line_of(message, path) == 5
    assert "500mb" in message and "500Mi" in message


def test_unknown_key_suggests_the_close_one(write_yaml):
    path = write_yaml("containers:\n  - name: web\n    imag: nginx\n")
    message = load_error(path)
    assert line_of(message, path) == 3
    assert "imag" in message and "'image'" in message


def test_duplicate_yaml_keys_point_at_the_second(write_yaml):
    path = write_yaml("containers:\n  - name: web\n    image: a\n    image: b\n")
    message = load_error(path)
    assert line_of(message, path) == 4
    assert "duplicate" in message and "image" in message


def test_tab_in_indentation_is_named(write_yaml):
    path = write_yaml("containers:\n  - name: web\n\timage: a\n")
    message = load_error(path)
    assert line_of(message, path) == 3
    assert "tab" in message


def test_container_requesting_more_than_the_node(write_yaml):
    path = write_yaml(
        "node: {cpu: '2', memory: 1Gi}\n"
        "containers:\n"
        "  - name: small\n    image: a\n    resources: {cpu: 1}\n"
        "  - name: big\n    image: b\n    resources: {memory: 2Gi}\n"
    )
    message = load_error(path)
    assert line_of(message, path) == 6
    assert "memory" in message and "2Gi" in message


def test_no_containers_key(write_yaml):
    path = write_yaml({"name": "shop"})
    message = load_error(path)
    assert "containers" in message


def test_relative_mount_path_is_refused(write_yaml):
    path = write_yaml(
        inventory_dict(container("web", volumes=[{"name": "v", "mountPath": "data"}]))
    )
    message = load_error(path)
    assert "absolute" in message


def test_a_sidecar_naming_nobody_beside_the_only_primary_helps_it(write_yaml):
    path = write_yaml(
        inventory_dict(container("web", role="primary"), container("proxy", role="sidecar"))
    )
    proxy = load_inventory(path).containers[1]
    assert (proxy.role, proxy.complements) == (Role.SIDECAR, "web")


def test_a_sidecar_beside_two_primaries_is_left_to_ask(write_yaml):
    path = write_yaml(
        inventory_dict(
            container("web", role="primary"),
            container("api", role="primary"),
            container("proxy", role="sidecar"),
        )
    )
    assert load_inventory(path).containers[2].complements is None
