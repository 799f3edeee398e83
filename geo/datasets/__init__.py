"""The data the app ships: the weapons catalog, the GeoNames gazetteer, Natural Earth countries."""
