"""One module per command: each wires the layers for it."""
