"""Pure analysis over the report and the project's sources: no printing, no writing."""
