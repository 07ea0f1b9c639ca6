"""The HTML renderer: guides, decision maps and one build's state, through the Jinja templates in templates/."""
