"""The press-material archive: files, the media bank, the press kit and full-text search."""
