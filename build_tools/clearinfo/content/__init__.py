"""The content model: page front matter, site settings and placeholders. Knows nothing of MkDocs."""
