"""detente.cli stage."""
