"""People: accounts, forum memberships (which hat) and API tokens."""
