"""The Rewards and Reputation pages' tables: what each credential earns, bounties, open
schedules, the trust score's parts. Every text here comes from the chain (titles,
descriptions): the table views show it as plain text."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from vault.chain import reputation, rewards, trustscore
from vault.safe_text import safe_text

from ...format import short_address
from ...widgets.table_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex

STATUS_WORDS = {"claimable": "Earns {amount} BTK: claim", "claimed": "Claimed {amount} BTK",
                "revoked": "Revoked: earns nothing", "no-reward": "No reward for it",
                "budget-exhausted": "Budget spent", "type-not-declared": "Type not declared by its issuer"}


def status_words(entry: dict) -> str:
    return STATUS_WORDS[entry["status"]].format(amount=entry.get("amount") or "")


class _Model(ListTableModel):
    def cell(self, row, column: int) -> str:
        raise NotImplementedError

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return safe_text(self.cell(self.rows[index.row()], index.column()))
        return None


class CredentialRewardModel(_Model):
    HEADERS = ("Token", "Reward", "Schedule", "Issuer")

    def cell(self, row, column):
        return (f"#{row['token_id']}", status_words(row), row.get("title") or "—",
                short_address(row["issuer"]))[column]


class BountyModel(_Model):
    HEADERS = ("Bounty", "Amount", "Status", "Contribution")

    def cell(self, row, column):
        return (f"#{row['id']}", f"{row['amount']} BTK", row["status"], row["description"])[column]


class ScheduleModel(_Model):
    HEADERS = ("Reward", "For", "From issuer", "Budget left", "Until block")

    def cell(self, row, column):
        what = row["title"] + (f" ({row['type_name']})" if row.get("type_name") else "")
        return (f"{row['amount']} BTK", what, short_address(row["issuer"]), f"{row['budget_left']} BTK",
                f"{row['end_block']:,}")[column]


class ScorePartModel(_Model):
    HEADERS = ("Part", "Points", "Of at most", "From")

    def cell(self, row, column):
        cap = "—" if row["part"] == "slashes" else str(row["max"])
        return (row["part"].capitalize(), f"{row['points']:+d}", cap, row["detail"])[column]


def read_rewards(chain, address: str, known_types: list[str]) -> dict:  # chain thread
    return rewards.overview(chain, address, known_types=known_types)


def read_reputation(chain, address: str) -> dict:  # chain thread
    return {"bond": reputation.status(chain, address), "score": trustscore.trust_score(chain, address)}


class SubmissionModel(_Model):
    HEADERS = ("#", "Status", "Reviews", "Fee", "Window", "Your review", "Work")

    def cell(self, row, column):
        window = f"closes in {row['blocks_left']} blocks" if row["reviewable"] else "closed"
        return (str(row["id"]), row["status"], f"{row['approvals']} approve, {row['rejections']} reject",
                f"{row['fee']} BTK", window, row["my_review"] or "—", row["uri"])[column]
