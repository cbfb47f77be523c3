-- press: a media-bank collection for photographs of the city (City Hall, the harbour, the
-- council chamber) that the press may use with any story, beside logos, portraits and brand.
INSERT INTO media_collections (slug, name, position) VALUES
    ('photos', '{"fi": "Valokuvat", "sv": "Fotografier", "en": "Photographs"}', 4);
