"""Fetching: a polite HTTP client that keeps to robots.txt, URL cleaning, feeds and sitemaps, article pages.

Takes URLs; gives :class:`attribution.types.Article` objects with text, title, author, date and outlet.
Main entry point: :func:`attribution.web.sources.iter_inputs` (articles from paths mixed with article, feed and sitemap
URLs). Nothing here is imported until a URL comes up: commands that read files never load the HTTP client.
"""

# The environment variable that overrides the User-Agent; here, not in the client, so that command-line
# options can name it without loading the HTTP client.
ENV_USER_AGENT = "ATTRIBUTION_USER_AGENT"
