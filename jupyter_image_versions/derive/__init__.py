"""derive: a new image version without Docker (plan, layer, push, check, register)."""
