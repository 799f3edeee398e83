"""Geodesic core: the WGS84 wrapper, coordinates, units, rings and geometry helpers. Imports nothing else of geo."""
