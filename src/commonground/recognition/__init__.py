"""Recognition: the live, explainable agenda of a cycle and its published snapshots."""
