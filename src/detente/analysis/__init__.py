"""detente.analysis stage."""
