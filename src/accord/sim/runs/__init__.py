"""Many negotiations: tournaments and sweeps cut into chunks, the runners that carry the chunks
(this process, worker processes, Dask), one batch over local processes, and the metrics of each
result."""
