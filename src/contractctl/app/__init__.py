"""Use-cases: plain functions taking typed requests and returning reports (no terminal code)."""
