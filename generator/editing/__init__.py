"""The editors' commands: new records, awards, CSV imports, reports and the schema. Imports the stages below it."""
