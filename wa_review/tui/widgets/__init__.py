"""One module per TUI widget."""
