"""detente.report stage."""
