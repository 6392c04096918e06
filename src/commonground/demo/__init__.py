"""Demo content and seeding for a realistic Common Ground forum network."""
