"""Typed snapshots, one module per service: what a collector saw, errors included."""
