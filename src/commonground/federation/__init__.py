"""Across instances (docs/federation.md): this instance's identity, its pinned peers, forums
on other instances, and the signed delivery of forwards between them."""
