"""RSS, Atom and iCalendar feeds."""
