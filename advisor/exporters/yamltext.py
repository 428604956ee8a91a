"""The YAML dumper the exporters write with: libyaml's when PyYAML was built with it.

libyaml's emitter writes the same text as the pure-Python one for the plain data the
exporters produce, several times faster, which matters for thousands of pods.
"""

from __future__ import annotations

import yaml

try:
    SafeDumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    SafeDumper = yaml.SafeDumper
