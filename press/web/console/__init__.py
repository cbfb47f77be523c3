"""The staff console (/console/): officers and approvers write and move releases in a
browser, through the same domain functions as the staff API. Server-rendered; a small
script only adds a countdown and the unsaved-changes guard."""
