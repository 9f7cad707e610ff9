"""The Governance list's painted cells, each drawn from the row's ProposalView: the title
over its next step, the state as a badge, the quorum as a bar."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from ...widgets.pill import is_dark, paint_pill
from .models import ProposalTableModel, ProposalView, quorum_caption

# Badge colours per state: (background, border, text) in the light and the dark theme.
BADGE_COLORS = {
    "pending":   (("#f3effc", "#cdbdf0", "#5a32a3"), ("#2b2340", "#5a4a86", "#d2c2ff")),
    "active":    (("#eef3fe", "#b6c9f5", "#1b3d99"), ("#1d2a47", "#3d5a99", "#b7cbff")),
    "succeeded": (("#e8f6f3", "#a6d8cc", "#0f6b58"), ("#173430", "#2f6e62", "#9fe3d2")),
    "queued":    (("#fff6e5", "#f0c36d", "#6b4600"), ("#3a2e12", "#8a6a24", "#ffd98a")),
    "executed":  (("#eef8f0", "#b7dfc0", "#1a7f37"), ("#1a3323", "#2f6b42", "#9be0ae")),
    "defeated":  (("#fdecea", "#f5b5ae", "#a11c12"), ("#3d1f1d", "#7d3a34", "#ffb4ab")),
    "expired":   (("#f1f3f5", "#d0d7de", "#57606a"), ("#262d37", "#3a4350", "#aab3bf")),
    "canceled":  (("#f1f3f5", "#d0d7de", "#57606a"), ("#262d37", "#3a4350", "#aab3bf")),
}


def badge_colors(state: str, dark: bool) -> tuple[QColor, QColor, QColor]:
    light_set, dark_set = BADGE_COLORS.get(state, BADGE_COLORS["expired"])
    return tuple(QColor(c) for c in (dark_set if dark else light_set))


class _ProposalDelegate(QStyledItemDelegate):
    """A cell drawn from the row's ProposalView by ``paint_view``, over the cell's own
    selection / alternate background."""

    def paint(self, painter: QPainter, option, index) -> None:
        view = index.data(ProposalTableModel.ViewRole)
        if view is None:
            return super().paint(painter, option, index)
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        if style is not None:
            option.text = ""   # the background alone: paint_view draws the content
            style.drawControl(QStyle.CE_ItemViewItem, option, painter, option.widget)
        self.paint_view(painter, option, view)

    def paint_view(self, painter: QPainter, option, view: ProposalView) -> None:
        raise NotImplementedError


class TitleDelegate(_ProposalDelegate):
    """The title (semi-bold) over its next step (muted)."""

    def paint_view(self, painter: QPainter, option, view: ProposalView) -> None:
        dark = is_dark(option.palette)
        rect = option.rect.adjusted(8, 4, -8, -4)
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        title_metrics = QFontMetrics(title_font)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 0.5))
        small_metrics = QFontMetrics(small)
        total = title_metrics.height() + small_metrics.height() + 1
        top = rect.y() + (rect.height() - total) / 2
        painter.save()
        painter.setFont(title_font)
        painter.setPen(option.palette.color(QPalette.Text))
        painter.drawText(QRectF(rect.x(), top, rect.width(), title_metrics.height()), Qt.AlignLeft | Qt.AlignVCenter,
                         title_metrics.elidedText(view.title, Qt.ElideRight, rect.width()))
        painter.setFont(small)
        painter.setPen(QColor("#9aa4b1" if dark else "#57606a"))
        painter.drawText(QRectF(rect.x(), top + title_metrics.height() + 1, rect.width(), small_metrics.height()),
                         Qt.AlignLeft | Qt.AlignVCenter,
                         small_metrics.elidedText(view.next_step(), Qt.ElideRight, rect.width()))
        painter.restore()


class BadgeDelegate(_ProposalDelegate):
    """The state as a rounded badge in its colours (readable in both themes)."""

    def paint_view(self, painter: QPainter, option, view: ProposalView) -> None:
        text = view.badge()
        background, border, color = badge_colors(view.state, is_dark(option.palette))
        font = QFont(option.font)
        font.setBold(True)
        metrics = QFontMetrics(font)
        height = metrics.height() + 6
        width = min(option.rect.width() - 8, metrics.horizontalAdvance(text) + 18)
        rect = QRectF(option.rect.x() + 4, option.rect.center().y() - height / 2 + 0.5, width, height)
        paint_pill(painter, rect, text, font, background=background, border=border, foreground=color, pad=7,
                   inset=False)

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 24, size.height())


class QuorumBarDelegate(_ProposalDelegate):
    """Votes counted toward the quorum against the quorum: a bar, full (green) when reached."""

    def paint_view(self, painter: QPainter, option, view: ProposalView) -> None:
        p = view.data
        dark = is_dark(option.palette)
        fraction = min(1.0, float(p["quorum_percent"]) / 100.0)
        bar_height = 6
        metrics = QFontMetrics(option.font)
        text_height = metrics.height()
        top = option.rect.center().y() - (text_height + bar_height + 2) / 2
        inner = QRectF(option.rect.x() + 6, top, option.rect.width() - 12, text_height)
        bar = QRectF(inner.x(), top + text_height + 2, inner.width(), bar_height)
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(option.palette.color(QPalette.Text))
        painter.drawText(inner, Qt.AlignLeft | Qt.AlignVCenter,
                         metrics.elidedText(quorum_caption(p), Qt.ElideRight, int(inner.width())))
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor("#2a313c" if dark else "#e6e9ed"))
        painter.drawRoundedRect(bar, 3, 3)
        if fraction > 0:
            filled = QRectF(bar.x(), bar.y(), max(bar_height, bar.width() * fraction), bar_height)
            reached = p["quorum_reached"]
            painter.setBrush(QColor(("#4cc26a" if dark else "#1a7f37") if reached else
                                    ("#5b8def" if dark else "#2f5bd3")))
            painter.drawRoundedRect(filled, 3, 3)
        painter.restore()
