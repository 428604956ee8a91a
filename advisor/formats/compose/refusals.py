"""What ``docker compose`` refuses in one service, refused here too, with the file, line and
column (compose-go's ``loader/validate.go``, ``checkConsistency``)."""

from __future__ import annotations

from collections.abc import Iterable

from advisor.formats.fields import Fields

_HEALTHCHECK_STARTS = ("CMD", "CMD-SHELL", "NONE")


def refuse_what_compose_refuses(fields: Fields) -> None:
    """Refuse a healthcheck ``test`` list compose would refuse. (``container_name`` with
    several replicas and ``network_mode`` with ``networks``, which compose refuses too, are
    let through as before: files of the shared corpus hold them.)"""
    check = fields.data.get("healthcheck")
    test = check.get("test") if isinstance(check, dict) else None
    if isinstance(test, list) and test and test[0] not in _HEALTHCHECK_STARTS:
        Fields(fields.source, check, fields.dotted("healthcheck")).item_fail(
            "test", test, 0, f"a list starts with CMD, CMD-SHELL or NONE, not {test[0]!r}"
        )


def refuse_undefined_files(top: Fields, services: Fields, names: Iterable[str]) -> None:
    """A secret or config a running service lists that the file never defines: compose
    refuses the project ("refers to undefined secret")."""
    for name in names:
        service = services.data.get(name)
        if not isinstance(service, dict):
            continue
        fields = Fields(services.source, service, services.dotted(name))
        for section in ("secrets", "configs"):
            defined = top.data.get(section)
            known = defined if isinstance(defined, dict) else {}
            for index, item, items in fields.items(section):
                source = item.get("source") if isinstance(item, dict) else item
                if isinstance(source, str) and source not in known:
                    fields.item_fail(
                        section,
                        items,
                        index,
                        f"{source!r} is not defined under the top-level '{section}:'; "
                        "compose refuses it too",
                    )
