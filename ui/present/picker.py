"""Choosing what to present: the vault's credentials with a check box each (the
Credentials page's model, read a screenful at a time off the GUI thread), and the claims
of the chosen SD-JWT (and ecdsa-sd-2023) credentials, each of which the holder may reveal
or withhold."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QStyle, QStyledItemDelegate,
                               QStyleOptionButton, QStyleOptionViewItem, QTreeWidget, QTreeWidgetItem,
                               QWidget)

from vault.safe_text import safe_text

from ..credentials.delegate import CardColors, chip_width, paint_chip
from ..credentials.model import CredentialCardProxy
from ..credentials.presentation import FORMAT_WORDS
from ..widgets.labels import plain_tip
from .jobs import ClaimChoices

SD_JWT = "sd-jwt-vc"
# Formats whose claims are read when ticked: SD-JWT VC, and Data Integrity (an ecdsa-sd-2023
# base proof lets the holder choose; other DI credentials come back not selective).
CHOOSABLE = (SD_JWT, "di-vc")
CLAIMS_HINT = ("Only SD-JWT and ecdsa-sd-2023 credentials can reveal some claims and hide others; the other "
               "formats are shown whole.")
PAD = 8


class PickModel(CredentialCardProxy):
    """The card proxy plus a check box per row: ``chosen`` keeps the summaries of the
    checked credentials in the order they were checked (the order of the presentation)."""

    toggled = Signal(str, bool)     # credential id, now chosen

    def __init__(self, parent=None):
        super().__init__(parent)
        self.chosen: dict[str, object] = {}

    def summary(self, index: QModelIndex):
        source = self.sourceModel()
        found = source.card_row(self.mapToSource(index).row()) if source is not None and index.isValid() else None
        return found[0] if found else None

    def flags(self, index):
        flags = super().flags(index)
        return flags | Qt.ItemIsUserCheckable if index.isValid() else flags

    def data(self, index, role: int = Qt.DisplayRole):
        if role == Qt.CheckStateRole:
            summary = self.summary(index)
            if summary is None:
                return None
            return Qt.Checked if summary.id in self.chosen else Qt.Unchecked
        return super().data(index, role)

    def setData(self, index, value, role: int = Qt.EditRole) -> bool:
        if role != Qt.CheckStateRole:
            return False
        summary = self.summary(index)
        if summary is None:
            return False
        self.set_chosen(summary, Qt.CheckState(value) == Qt.Checked)
        return True

    def toggle(self, index: QModelIndex) -> None:
        summary = self.summary(index)
        if summary is not None:
            self.set_chosen(summary, summary.id not in self.chosen)

    def set_chosen(self, summary, on: bool) -> None:
        if on == (summary.id in self.chosen):
            return
        if on:
            self.chosen[summary.id] = summary
        else:
            del self.chosen[summary.id]
        self._announce_all()
        self.toggled.emit(summary.id, on)

    def clear_chosen(self) -> None:
        for cid in list(self.chosen):
            del self.chosen[cid]
            self.toggled.emit(cid, False)
        self._announce_all()

    def _announce_all(self) -> None:
        rows = self.rowCount()
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, 0), [Qt.CheckStateRole])


class PickDelegate(QStyledItemDelegate):
    """A compact card: check box, title, issuer and format, the verdict chip.

    A click anywhere on the card, the box included, ticks it once: the view's ``clicked``
    toggles the row (the page connects it), so the delegate does not toggle the check
    state on mouse events as QStyledItemDelegate does for a check box where the style
    would draw one (that second toggle undid the first on the box itself)."""

    def check_rect(self, option: QStyleOptionViewItem) -> QRect:
        """Where the check box is painted in a card of ``option.rect``."""
        frame = option.rect.adjusted(4, 3, -4, -3)
        size = option.widget.style().pixelMetric(QStyle.PM_IndicatorWidth) if option.widget else 16
        return QRect(frame.left() + PAD, frame.center().y() - size // 2, size, size)

    def editorEvent(self, event, model, option, index) -> bool:
        if event.type() in (QEvent.MouseButtonPress, QEvent.MouseButtonRelease, QEvent.MouseButtonDblClick):
            return False
        return super().editorEvent(event, model, option, index)

    def _fonts(self, option) -> tuple[QFont, QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(max(8.0, option.font.pointSizeF() - 0.5))
        chip = QFont(small)
        chip.setBold(True)
        return title, small, chip

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        title, small, _ = self._fonts(option)
        return QSize(260, QFontMetrics(title).height() + QFontMetrics(small).height() + 2 * PAD + 8)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        frame = option.rect.adjusted(4, 3, -4, -3)
        selected = bool(option.state & QStyle.State_Selected)
        model = index.model()
        summary = model.summary(index) if isinstance(model, PickModel) else None
        chosen = summary is not None and summary.id in model.chosen
        colors = CardColors.of(option.palette)   # the theme's, as the Credentials cards
        painter.setPen(QPen(colors.selected if selected else colors.border, 1.5 if selected else 1))
        painter.setBrush(colors.selected_background if chosen else colors.background)
        painter.drawRoundedRect(QRectF(frame).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        title_font, small, chip_font = self._fonts(option)
        box = QStyleOptionButton()
        box.rect = self.check_rect(option)
        box.state = QStyle.State_Enabled | (QStyle.State_On if chosen else QStyle.State_Off)
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PE_IndicatorCheckBox, box, painter, option.widget)
        left = box.rect.right() + PAD + 2
        right = frame.right() - PAD
        title_metrics, small_metrics = QFontMetrics(title_font), QFontMetrics(small)
        top = frame.top() + PAD - 1
        if summary is None:
            painter.setFont(small)
            painter.setPen(colors.muted)
            painter.drawText(QRect(left, top, right - left, title_metrics.height()), Qt.AlignVCenter, "Loading…")
            painter.restore()
            return
        card = model.card(index)
        chip = card.warning or card.chip
        chip_metrics = QFontMetrics(chip_font)
        chip_w = chip_width(chip, chip_metrics)
        chip_rect = QRect(right - chip_w, top + (title_metrics.height() - chip_metrics.height() - 4) // 2,
                          chip_w, chip_metrics.height() + 4)
        paint_chip(painter, chip_rect, chip, chip_font, colors.dark)
        painter.setFont(title_font)
        painter.setPen(colors.text)
        width = max(10, chip_rect.left() - left - 8)
        painter.drawText(QRect(left, top, width, title_metrics.height()), Qt.AlignLeft | Qt.AlignVCenter,
                         title_metrics.elidedText(card.title, Qt.ElideRight, width))
        painter.setFont(small)
        painter.setPen(colors.muted)
        line = f"{card.issuer} · {FORMAT_WORDS.get(summary.format, summary.format)}"
        painter.drawText(QRect(left, top + title_metrics.height() + 2, right - left, small_metrics.height()),
                         Qt.AlignLeft | Qt.AlignVCenter, small_metrics.elidedText(line, Qt.ElideMiddle, right - left))
        painter.restore()


class ClaimTree(QTreeWidget):
    """The selectively disclosable claims of each chosen SD-JWT or ecdsa-sd-2023
    credential, as check boxes.

    A claim nested in another disclosable claim sits under it; checking a claim reveals it
    with the claims that contain it (the core's rule), so a parent is checked, partly or
    wholly, exactly when something under it is. Everything starts withheld.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("claimTree")
        self.setAccessibleName("Claims to disclose")
        self.setColumnCount(2)
        self.setHeaderLabels(["Claim", "Value"])
        self.header().setStretchLastSection(True)
        self.header().setSectionResizeMode(0, QHeaderView.Interactive)
        self.header().resizeSection(0, 190)
        self.setSelectionMode(QAbstractItemView.NoSelection)
        self.setUniformRowHeights(True)
        self.setTextElideMode(Qt.ElideRight)
        self.setRootIsDecorated(True)
        self._roots: dict[str, QTreeWidgetItem] = {}
        self._choices: dict[str, ClaimChoices] = {}
        self.itemChanged.connect(self._on_item_changed)

    def set_credentials(self, choices: list[ClaimChoices]) -> None:
        """Show these credentials' claims (in this order); a credential already shown keeps
        what the holder checked."""
        wanted = {c.id for c in choices}
        self.blockSignals(True)
        for cid in [c for c in self._roots if c not in wanted]:
            self.takeTopLevelItem(self.indexOfTopLevelItem(self._roots.pop(cid)))
            del self._choices[cid]
        for position, choice in enumerate(choices):
            item = self._roots.get(choice.id)
            if item is None:
                item = self._root(choice)
                self._roots[choice.id] = item
                self._choices[choice.id] = choice
            else:
                self.takeTopLevelItem(self.indexOfTopLevelItem(item))
            self.insertTopLevelItem(position, item)
            item.setFirstColumnSpanned(True)     # the title, never cut at the claim column
            item.setExpanded(True)
        self.blockSignals(False)

    def _root(self, choice: ClaimChoices) -> QTreeWidgetItem:
        root = QTreeWidgetItem([safe_text(choice.title)])
        root.setToolTip(0, plain_tip(f"{choice.title}: {len(choice.claims)} claims you may reveal or hide"))
        font = root.font(0)
        font.setBold(True)
        root.setFont(0, font)
        items: dict[tuple, QTreeWidgetItem] = {}
        for number, claim in enumerate(choice.claims):
            parent = items.get(claim.parent) if claim.parent else None
            item = QTreeWidgetItem(parent or root, [safe_text(claim.label), safe_text(claim.value)])
            item.setData(0, Qt.UserRole, number)   # claims[number].path: a tuple stays a tuple
            item.setToolTip(0, plain_tip(claim.label))
            item.setToolTip(1, plain_tip(claim.value))
            items[claim.path] = item
        for item in [root, *items.values()]:
            flags = item.flags() | Qt.ItemIsUserCheckable | Qt.ItemIsEnabled
            if item.childCount():
                flags |= Qt.ItemIsAutoTristate
            item.setFlags(flags)
        for item in items.values():   # leaves first would be the same: all start withheld
            if not item.childCount():
                item.setCheckState(0, Qt.Unchecked)
        root.setCheckState(0, Qt.Unchecked)
        return root

    def claim_item(self, cid: str, label: str) -> QTreeWidgetItem | None:
        root = self._roots.get(cid)
        stack = [root] if root is not None else []
        while stack:
            item = stack.pop()
            if item is not root and item.text(0) == safe_text(label):
                return item
            stack.extend(item.child(i) for i in range(item.childCount()))
        return None

    def reveal(self) -> dict[str, list[tuple]]:
        """Credential id -> the checked claim paths (leaves: a parent follows its children)."""
        out: dict[str, list[tuple]] = {}
        for cid, root in self._roots.items():
            paths, stack = [], [root.child(i) for i in range(root.childCount())]
            while stack:
                item = stack.pop(0)
                if item.childCount():
                    stack.extend(item.child(i) for i in range(item.childCount()))
                elif item.checkState(0) == Qt.Checked:
                    paths.append(self._choices[cid].claims[item.data(0, Qt.UserRole)].path)
            out[cid] = paths
        return out

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 0:
            self.changed.emit()
