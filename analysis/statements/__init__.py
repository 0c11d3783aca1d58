"""Statements compared across outlets: quotations, numbers and dates."""
