"""Common Ground: multistakeholder policy forums with the power of recognition."""
