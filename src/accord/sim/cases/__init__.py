"""Recorded cases simulated: a replay from a date compared with the actual settlement, separate
deals against one deal with a coalition (pattern bargaining), a mediator's single text."""
