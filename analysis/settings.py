"""Project-wide settings that any layer may read.

This module imports nothing, so reading a setting never pulls in plotting or NLP packages (a
pipeline worker that imports `analysis.extract` stays free of matplotlib).
"""

#: The one random seed every figure and sample uses.
RANDOM_STATE = 0
