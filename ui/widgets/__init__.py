"""Small widgets shared by the pages."""

from .busy import BusyIndicator
from .elided_label import ElidedLabel
from .layout import (CenteredPage, button_row, open_dialog, page_subtitle, page_title, scrolling_page,
                     section_title)
from .messages import InlineMessage, reserve_lines
from .passphrase import NewPassphraseForm, PassphraseField
from .phrase_grid import PhraseGrid
from .safe_default import make_safe_default, on_enter

__all__ = ["BusyIndicator", "CenteredPage", "ElidedLabel", "InlineMessage", "NewPassphraseForm",
           "PassphraseField", "PhraseGrid", "button_row", "make_safe_default", "on_enter", "page_subtitle",
           "page_title", "reserve_lines", "section_title"]
