"""Pure numeric engines (recognition, opinion map, consensus). No Django imports here."""
