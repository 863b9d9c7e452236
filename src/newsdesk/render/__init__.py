"""Story -> post text: body tree to Markdown, YAML front matter, file names and summaries."""

from newsdesk.render.frontmatter import front_matter, yaml_str
from newsdesk.render.markdown import link_destination, render_markdown
from newsdesk.render.post import format_date, post_name, render_post, summary_text

__all__ = ["format_date", "front_matter", "link_destination", "post_name", "render_markdown",
           "render_post", "summary_text", "yaml_str"]
