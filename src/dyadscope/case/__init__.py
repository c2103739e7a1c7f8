"""dyadscope.case."""
