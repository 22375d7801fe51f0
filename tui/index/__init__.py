"""The Whoosh index: schema, building, search, facets, highlights, suggestions.

Knows nothing of Textual. Built in the search issue.
"""
