"""One module per part of the page; each renders from the scenario and its analysis."""
