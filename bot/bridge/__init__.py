"""The calor bridge: the only server that customers and agents reach."""
