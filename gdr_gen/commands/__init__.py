"""One module per CLI command; each holds the library function the command wraps."""
