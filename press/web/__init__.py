"""Pages for people: the public press room, on one layout with Babel catalogs."""
