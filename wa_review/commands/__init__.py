"""Click commands, one module per command (group) so cli.py stays a thin index."""
