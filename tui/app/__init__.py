"""The Textual app: screens, widgets, .tcss styles, bindings. No search or NLP logic."""
