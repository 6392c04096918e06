"""Open data: Frictionless data packages of public records, and reading them back."""
