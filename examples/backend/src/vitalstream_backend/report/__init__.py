"""PDF session reports."""
