"""dyadscope.scenario."""
