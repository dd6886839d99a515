"""Putting a site on disk: settings, project files, the writer, the engine, finish, publish and the preview. Imports the stages below it."""
