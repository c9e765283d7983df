"""The Textual front-end: the only part of wa-review that imports Textual."""
