"""Static site generator for the directory of ECEI-labelled cluster organisations."""

__version__ = "0.1.0"

# The version of the data files' format: the keys of status.json and clusters.json, and the
# columns of clusters.csv and awards.csv that datapackage.json describes. Its major part
# changes when a key or column is removed, renamed or changes meaning; its minor part when one
# is added. Each file carries it as `format_version`; CHANGELOG.md says which release changed it.
FORMAT_VERSION = "1.1"
