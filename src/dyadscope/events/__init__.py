"""dyadscope.events."""
