"""Vendored data files (Parquet extracts, code tables, MANIFEST.json); see README.md."""
