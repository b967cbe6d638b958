"""The project model: the only code that reads files or asks git."""
