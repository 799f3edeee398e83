"""folium: the interactive map's layers and the standalone HTML export (the only folium users)."""
