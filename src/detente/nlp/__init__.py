"""detente.nlp stage."""
