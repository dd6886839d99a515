"""Everything a site holds, made from checked records: the directory, lists, pages, downloads, map and sitemap (pure; Jinja lives here). Imports the stages below it."""
