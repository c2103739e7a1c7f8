"""dyadscope.events.engines."""
