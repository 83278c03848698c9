"""detente.api stage."""
