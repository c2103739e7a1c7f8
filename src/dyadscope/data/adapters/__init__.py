"""dyadscope.data.adapters."""
