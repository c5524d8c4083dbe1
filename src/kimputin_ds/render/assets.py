"""The page shell: inlined CSS and JavaScript, and the palette's CSS rules.

Every page carries its own style and script, so a page opened from disk, or
sent as a CI artifact, needs nothing else: no CDN, no web font, no framework.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from kimputin_ds.render.context import OKABE_ITO
from kimputin_ds.render.layers import LAYERS
from kimputin_ds.render.markup import text_html


@cache
def asset(name: str) -> str:
    """The text of a file in ``kimputin_ds/render/assets/``."""
    return files("kimputin_ds.render").joinpath("assets", name).read_text(encoding="utf-8")


def palette_css() -> str:
    """Colour slots ``c-N`` and the rules that hide a switched-off layer.

    Hiding works with CSS alone (``:has`` on the layer's checkbox), so the
    switches work with scripts off as well.
    """
    rules = [f".c-{n}{{--c:{colour}}}" for n, colour in enumerate(OKABE_ITO)]
    rules.append(".c-none{--c:#767676}")  # no label (a plural mention has no single type)
    for layer in LAYERS:
        if layer.toggle:
            rules.append(
                f"body:has(#t-{layer.name}:not(:checked)) .hl.l-{layer.name}"
                "{background:none;text-decoration:none;border-color:transparent;"
                "border-style:none;outline:none;box-shadow:none;font-weight:inherit;padding:0}"
            )
            rules.append(
                f"body:has(#t-{layer.name}:not(:checked)) section.l-{layer.name}{{display:none}}"
            )
    return "\n".join(rules)


def page_shell(title: str, body: str) -> str:
    """A complete HTML document with the inlined style and script."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text_html(title)}</title>"
        f"<style>{asset('page.css')}\n{palette_css()}</style></head>"
        f"<body>{body}<script>{asset('page.js')}</script></body></html>\n"
    )
