"""dyadscope benchmarks: each module compares dyadscope with a baseline measured in the same run."""
