"""Files that leave the app: GeoJSON, KML, images."""
