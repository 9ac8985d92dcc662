"""Changes to the rendered HTML that templates alone cannot make."""
