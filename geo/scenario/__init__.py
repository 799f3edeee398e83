"""What a map shows: launch points, systems, launch zones, the share link, colours, presets."""
