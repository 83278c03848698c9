"""detente.positions stage."""
