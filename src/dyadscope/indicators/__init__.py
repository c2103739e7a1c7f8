"""dyadscope.indicators."""
