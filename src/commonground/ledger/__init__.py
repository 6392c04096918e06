"""Append-only, tamper-evident ledger of every state change."""
