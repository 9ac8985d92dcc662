"""Checks on the built site: a real browser with axe-core, and (later) PDFs, audio and links."""
