"""Check returns: the JSON Schema, the rule table's rules, and the reports made from the problems."""
