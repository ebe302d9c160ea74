"""accord.sim: the simulation engine (see docs/architecture.md, section 5).

Four layers of subpackages, each importing only those below it:

- :mod:`accord.sim.cases` and :mod:`accord.sim.runs`: what is done with the engine: a recorded
  case replayed, pattern bargaining, a mediator's single text; tournaments, sweeps, the runners
  that carry chunks to processes or Dask, and the metrics of their results;
- :mod:`accord.sim.engine` and :mod:`accord.sim.strategies`: the reference and batch engines and
  what an agent sees (the engine), the strategies they drive (the contract in
  :mod:`accord.sim.strategies.base`); strategies use the engine's array namespace, kernels and
  agent views, never the engines themselves;
- :mod:`accord.sim.scenarios`: what a negotiation is about, as arrays, and where scenarios come
  from (generated, a recorded case, an imported domain, the positions stated on the table).
"""
