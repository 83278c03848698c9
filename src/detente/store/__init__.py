"""detente.store stage."""
