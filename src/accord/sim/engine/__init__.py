"""The engine: one negotiation step by step (:mod:`~accord.sim.engine.reference`), or many in
lock-step with array operations (:mod:`~accord.sim.engine.batch`), with exactly the same
decisions; the array namespace they compute with, and what each agent at the table sees."""
