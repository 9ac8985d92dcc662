"""The other formats: each a pure step from checked content (and settings) to a file."""
