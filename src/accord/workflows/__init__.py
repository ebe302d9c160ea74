"""Workflows over files and compute, with no access rules: tournaments and sweeps written to
Parquet/CSV with their Plotly charts (resumable, on local processes or Dask), simulations of a
recorded case, scenarios and frontiers of benchmark domains, a case analysed with its preference
file. The command line runs them for the operator; what a signed-in user may do goes through
:mod:`accord.services` instead."""
