"""dyadscope.theory."""
