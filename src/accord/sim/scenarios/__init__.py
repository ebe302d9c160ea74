"""Scenarios: what a simulated negotiation is about, as arrays (:mod:`~accord.sim.scenarios.scenario`),
and where they come from: generated (:mod:`~accord.sim.scenarios.generate`), a case or an imported
domain with preference models (:mod:`~accord.sim.scenarios.from_case`), the positions a case's
sides stated (:mod:`~accord.sim.scenarios.stated`)."""
