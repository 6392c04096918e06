"""Shared vocabulary and plumbing: stakeholder groups, regions, Markdown, errors."""
