"""The desk's own dispatches: file format, dateline, signal rating, the Wire."""
