"""Federation: forums on separate instances, peered, with signed deliveries (docs/federation.md)."""
