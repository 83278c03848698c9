"""detente.ingest stage."""
