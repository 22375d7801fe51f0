"""The command line: the same engine as the app, with JSON or Rich output."""
