-- Which embargoed files a journalist may fetch now depends on the release's embargo list
-- (0013), which a view without the journalist cannot express: press/archive/queries.sql
-- asks embargo_recipient() itself, and this view has no reader left.
DROP VIEW embargoed_files;
