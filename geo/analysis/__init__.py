"""What a scenario reaches: coverage, targets, places, comparison, the work budget."""
