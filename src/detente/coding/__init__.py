"""detente.coding stage."""
