"""Press releases: writing, approval, publication and the public read path."""
