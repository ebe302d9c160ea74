"""The command line: Typer commands, thin over the library and the services."""

import time

IMPORTED = time.perf_counter()
"""When the command line was first imported (``--profile`` counts start-up from here where the
system does not say when the process started)."""
