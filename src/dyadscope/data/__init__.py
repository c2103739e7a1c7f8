"""dyadscope.data."""
