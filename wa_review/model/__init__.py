"""Pure data: evidence, snapshots, questionnaire and review session (no boto3, no textual)."""
