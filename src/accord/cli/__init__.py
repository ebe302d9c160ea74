"""The command line: Typer commands, thin over the library and the services."""
