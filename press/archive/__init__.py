"""Press material: files, the media bank and full-text search of the archive."""
