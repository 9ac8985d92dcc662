"""Checks on what people read: plain language now; Easy Read rules later."""
