"""State changes of sessions, one module per stage: proposals (and screening), advisory
(the group, conflicts, blind scores), selection (ranking, decisions, publication),
schedule, reports. Every function validates, authorizes through the access layer,
writes in one transaction and appends its ledger entry there."""
