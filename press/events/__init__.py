"""Press events: conferences, briefings and meetings."""
