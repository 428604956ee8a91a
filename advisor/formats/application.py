"""Any application file the tool reads: a docker-compose file or its own inventory.

The YAML is read once and the format picked from its top-level keys: ``services:`` (or the
legacy v1 layout of services at the top) means Compose; anything else is an inventory, whose
loader explains what is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from advisor.domain.model import Inventory
from advisor.formats.compose.detect import is_compose
from advisor.formats.inventory import inventory_from_data
from advisor.formats.yamlfile import parse_yaml, read_text


def load_application(path: Path, profiles: Sequence[str] = ()) -> Inventory:
    """Read ``path`` as a compose file (with the services of ``profiles``) or an inventory,
    whichever it is."""
    text = read_text(path)
    data = parse_yaml(text, str(path))
    if is_compose(data):
        from advisor.formats.compose.reader import compose_from_data  # an inventory never needs it

        return compose_from_data(data, path, text, profiles)
    return inventory_from_data(data, str(path), default_name=path.stem)
