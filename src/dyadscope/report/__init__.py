"""dyadscope.report."""
