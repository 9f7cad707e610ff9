"""Revert data -> a sentence a person can act on.

Revert data is ABI-encoded: ``Error(string)`` (a ``require`` message), ``Panic(uint256)``
(an assertion, overflow, division by zero ...) or a custom error declared by one of the
contracts. Every artifact's ABI is read, so any custom error of the suite (and of the
OpenZeppelin code it inherits) is decoded by name and arguments; our own and the common
OpenZeppelin ones have a sentence written for them, the others are rendered from their
name and arguments.

``revert_data`` digs the raw bytes out of whatever web3 raised: a JSON-RPC node (anvil,
geth ...) returns them as the error's ``data``; web3's ``EthereumTesterProvider`` only
keeps a text rendering, with the bytes surviving in the chained eth-tester exception
(transactions) or as their ``repr`` (calls). ``decoding_contract_class`` makes every read
of a suite contract (``contract.functions.f(...).call()``) raise ``revert_error``'s
ChainError instead of web3's or eth-tester's exception.
"""

from __future__ import annotations

import ast
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from eth_abi import decode as abi_decode
from eth_utils import to_checksum_address

from ..errors import ChainError
from . import direct_call
from .abi import input_types, selector
from .contracts import all_artifacts
from .units import format_units, percent

log = logging.getLogger(__name__)

ERROR_STRING = bytes.fromhex("08c379a0")  # Error(string)
PANIC = bytes.fromhex("4e487b71")  # Panic(uint256)

PANIC_CODES = {
    0x00: "a generic compiler panic",
    0x01: "an assertion failed",
    0x11: "an arithmetic overflow or underflow",
    0x12: "a division or modulo by zero",
    0x21: "a conversion to an invalid enum value",
    0x22: "an incorrectly encoded storage byte array",
    0x31: "a pop() on an empty array",
    0x32: "an array index out of bounds",
    0x41: "too much memory allocated",
    0x51: "a call to an uninitialised internal function",
}

GIG_STATES = ["Open", "Accepted", "Funded", "Released", "Refunded", "Cancelled"]
PROPOSAL_STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"]
TIMELOCK_STATES = ["Unset", "Waiting", "Ready", "Done"]

# Sentences for custom errors, by name. Placeholders are the error's argument names,
# formatted by _format_arg (amounts in BTK, timestamps as dates, ...).
SENTENCES: dict[str, str] = {
    # BTKToken and OpenZeppelin ERC-20 / permit / votes
    "ERC20InsufficientBalance": "Not enough BTK: {sender} holds {balance} but {needed} are needed.",
    "ERC20InsufficientAllowance": "The spender {spender} may move only {allowance} of your BTK, but "
                                  "{needed} are needed: approve a larger amount first.",
    "ERC20InvalidReceiver": "BTK cannot be sent to {receiver}.",
    "ERC20InvalidSender": "BTK cannot be sent from {sender}.",
    "ERC20InvalidSpender": "{spender} cannot be approved as a spender.",
    "ERC20InvalidApprover": "{approver} cannot approve spending.",
    "ERC2612ExpiredSignature": "The permit signature expired at {deadline}; sign a new one.",
    "ERC2612InvalidSigner": "The permit was signed by {signer}, not by the owner {owner}.",
    "InvalidAccountNonce": "The signature uses a stale nonce for {account} (current nonce {currentNonce}); "
                           "sign again.",
    "VotesExpiredSignature": "The delegation signature expired at {expiry}; sign a new one.",
    "ERC5805FutureLookup": "Votes at block {timepoint} are not known yet (the chain is at block {clock}).",
    "AllocationLengthMismatch": "The token allocation lists differ in length ({holders} holders, "
                                "{amounts} amounts).",
    "EmptyAllocation": "The token needs at least one initial holder.",
    # Governor
    "GovernorInsufficientProposerVotes": "{proposer} has {votes} of voting power; making a proposal needs "
                                         "{threshold}. Delegate your BTK to yourself first (holding BTK "
                                         "gives no votes until you delegate).",
    "GovernorAlreadyCastVote": "{voter} has already voted on this proposal.",
    "GovernorNonexistentProposal": "There is no proposal {proposalId}.",
    "GovernorUnexpectedProposalState": "Proposal {proposalId} is {current}; this needs it to be "
                                       "{expectedStates}.",
    "GovernorAlreadyQueuedProposal": "Proposal {proposalId} is already queued.",
    "GovernorInvalidProposalLength": "The proposal's lists differ in length ({targets} targets, "
                                     "{calldatas} calls, {values} values).",
    "GovernorInvalidVoteType": "A vote must be 0 (against), 1 (for) or 2 (abstain).",
    "GovernorOnlyExecutor": "Only the timelock may do this ({account} tried); make a proposal.",
    "GovernorUnableToCancel": "{account} cannot cancel proposal {proposalId}: only its proposer can, and "
                              "only while it is pending.",
    "GovernorRestrictedProposer": "{proposer} is not allowed to make this proposal.",
    "GovernorInvalidSignature": "The vote signature of {voter} is not valid.",
    "GovernorDisabledDeposit": "The governor does not accept ETH.",
    "GovernorProposalQueueingFailed": "Proposal {proposalId} could not be queued.",
    "GovernorProposalQueueingNotRequired": "Proposal {proposalId} needs no queueing.",
    "GovernorInvalidQuorumFraction": "A quorum of {quorumNumerator}/{quorumDenominator} is not possible.",
    "GovernorInvalidVotingPeriod": "A voting period of {votingPeriod} blocks is not allowed.",
    # Timelock and access control
    "TimelockInsufficientDelay": "A delay of {delay} s is shorter than the timelock minimum of {minDelay} s.",
    "TimelockUnexpectedOperationState": "The timelock operation is not {expectedStates} yet (for a queued "
                                        "proposal: wait for the timelock delay to pass, then execute).",
    "TimelockUnexecutedPredecessor": "The timelock operation must wait for operation {predecessorId}.",
    "TimelockUnauthorizedCaller": "{caller} may not call the timelock directly.",
    "TimelockInvalidOperationLength": "The operation's lists differ in length.",
    "AccessControlUnauthorizedAccount": "{account} lacks the role this needs ({neededRole}).",
    "AccessControlBadConfirmation": "Only the account itself can renounce its role.",
    "OwnableUnauthorizedAccount": "Only governance may do this ({account} tried); make a proposal.",
    "OwnershipCannotBeRenounced": "Governance cannot give up ownership of this contract.",
    "FailedCall": "A call made by the contract failed.",
    # StakingPool
    "ZeroAmount": "The amount must be more than zero.",
    "ZeroAddress": "The zero address cannot be used here.",
    "UnknownValidator": "There is no validator {validatorId}.",
    "OperatorAlreadyRegistered": "{operator} already operates a validator.",
    "CommissionTooHigh": "A commission of {bps} is above the maximum of {maxBps}.",
    "InvalidSlashBps": "A slash of {bps} is not allowed (0.01 % to {maxBps}).",
    "CooldownTooLong": "A cooldown of {blocks} blocks is above the maximum of {maxBlocks}.",
    "AlreadyDelegated": "You already stake with validator {currentValidatorId}: unstake and withdraw "
                        "everything before staking with another validator.",
    "ValidatorWasSlashed": "Validator {validatorId} was slashed and takes no new stake; choose another "
                           "validator.",
    "InsufficientStake": "You asked to unstake {requested} but only {available} is staked.",
    "NoUnstakeRequest": "There is nothing to withdraw: request to unstake first.",
    "CooldownNotOver": "The unstake cooldown is not over: withdraw from block {readyAtBlock} on.",
    "NothingToClaim": "There are no rewards to claim yet.",
    # Marketplace
    "ZeroPrice": "The price must be more than zero.",
    "FeeTooHigh": "A fee of {bps} is above the maximum of {maxBps}.",
    "ReferralTooHigh": "A referral cut of {bps} is above the maximum of {maxBps}.",
    "ReferralWithoutConnector": "A referral cut needs a connector to receive it.",
    "ConnectorIsClient": "The client cannot be the gig's connector.",
    "DeliveryWindowTooLong": "A delivery window of {secondsGiven} s is longer than the maximum "
                             "({maxSeconds} s).",
    "GigNotFound": "There is no gig {gigId}.",
    "NotClient": "Only the client of gig {gigId} can do this.",
    "NotGigParty": "Only the client or the talent of gig {gigId} can do this.",
    "ClientCannotAccept": "The client of gig {gigId} cannot accept their own gig.",
    "GigNotOpen": "Gig {gigId} is no longer open.",
    "GigNotAccepted": "Gig {gigId} has not been accepted (or is already funded).",
    "GigNotFunded": "Gig {gigId} is not funded.",
    "GigNotCancellable": "Gig {gigId} can no longer be cancelled (it is funded or closed).",
    "RefundNotYetAllowed": "The client can get a refund of gig {gigId} only from {refundableAt} on.",
    "ReentrancyGuardReentrantCall": "The contract refused a re-entrant call.",
    "SafeERC20FailedOperation": "A token transfer of {token} failed.",
    "OwnableInvalidOwner": "{owner} cannot be the owner.",
    # TalentMarket
    "ConnectorShareTooHigh": "A connector share of {bps} is above the maximum of {maxBps}.",
    "BurnShareTooHigh": "A burn share of {bps} is above the maximum of {maxBps}.",
    "ForfeitShareTooHigh": "A bond forfeit share of {bps} is above the maximum of {maxBps}.",
    "FeeBelowConnectors": "A fee of {feeBps} cannot pay two connectors {connectorBps} each: raise the fee "
                          "or lower the connector share.",
    "BurnNotSupported": "This network's BTK token cannot burn (it predates burning): the burn share must stay 0.",
    "OfferNotFound": "There is no offer {offerId} on the talent market.",
    "BidNotFound": "Offer {offerId} has no bid {bidId}.",
    "NotOfferClient": "Only the client of offer {offerId} can do this.",
    "NotOfferParty": "Only the client or the talent of offer {offerId} can do this.",
    "NotBidder": "Bid {bidId} on offer {offerId} is someone else's.",
    "ClientCannotBid": "The client of offer {offerId} cannot bid on it.",
    "OfferNotOpen": "Offer {offerId} no longer takes bids (a bid was accepted, or it was cancelled).",
    "OfferNotAccepted": "Offer {offerId} has no accepted bid to fund (or it is already funded).",
    "OfferNotFunded": "Offer {offerId} is not funded.",
    "OfferNotCancellable": "Offer {offerId} can no longer be cancelled (it is funded or closed).",
    "BidAboveBudget": "A bid of {price} is above the offer's budget of {budget}.",
    "AlreadyBidding": "You already bid on offer {offerId} (bid {bidId}): withdraw it to bid again.",
    "TooManyBids": "Offer {offerId} has reached its limit of {maxBids} bids.",
    "MessageTooLong": "The bid message is {length} bytes; at most {maxLength} fit.",
    "BidNotActive": "Bid {bidId} on offer {offerId} was withdrawn, accepted or released.",
    "CredentialRequired": "This offer needs a valid credential from {issuer} (type {credentialType}); "
                          "ask that issuer to anchor one to your account.",
    "StakeTooLow": "This offer needs {required} staked; you have {staked} staked. Stake more first.",
    "OfferRefundNotYetAllowed": "The client can get a refund of offer {offerId} only from {refundableAt} on.",
    "ReferrerAlreadySet": "{account} already named its referrer ({referrer}); it never changes.",
    "InvalidReferrer": "{referrer} cannot be a referrer here (the zero address or the account itself).",
    "SignatureExpired": "The signature expired at {deadline}; sign a new one.",
    "InvalidSignature": "The signature is not {account}'s.",
    # TalentMarket (connector earnings) and PeerReview (review payouts) share this name.
    "NothingToWithdraw": "There is nothing to withdraw yet: no connector earnings or review payouts are due "
                         "to this account.",
    "NotTokenIssuer": "{account} did not issue credential token {tokenId}: only its issuer declares its type.",
    "CredentialTypeAlreadySet": "Credential token {tokenId} already has its type ({credentialType}).",
    # DAO: Constitution, PollRegistry (vault/chain/dao)
    "EmptyConstitution": "A constitution text must not be empty.",
    "StaleAmendment": ("This amendment was drafted against another version of the constitution (hash "
                       "{expected}); the text in force now has hash {current}. Draft it again against "
                       "the current text."),
    "UnchangedConstitution": "That text is already the constitution in force.",
    "PollExists": "This poll (id {id}) is already registered.",
    "SnapshotNotPast": "A poll's snapshot must be a block already mined; block {snapshotBlock} is not yet.",
    "ClosesTooSoon": "A poll must close after the block it is created in (block {closesBlock} is too soon).",
    "BelowCreationThreshold": "Creating a poll needs {threshold} of voting power at its snapshot; you had {votes}.",
    "EmptyDefinition": "A poll needs a definition.",
    "NoMilestones": "A grant needs at least one milestone.",
    "TooManyMilestones": "A grant has at most {max} milestones; this one has {count}.",
    "ZeroMilestone": "Milestone {milestone} of the grant is 0 BTK: every milestone must pay something.",
    "InvalidGrantee": "A grant needs a grantee and an approver (not the zero address).",
    "ExceedsBudget": "The grants budget has {available} not yet committed; this needs {needed}.",
    "UnknownGrant": "There is no grant {grantId}.",
    "GrantClosed": "Grant {grantId} is completed or cancelled: nothing is left to approve or cancel.",
    "MilestoneOutOfOrder": "Milestones are approved in order: the next one is {expected}, not {given} (counted from 0).",
    "NotGrantApprover": "{account} is not the approver of grant {grantId}.",
    "LockTooShort": "A lock must run until block {earliest} at least; block {unlockBlock} is too soon.",
    "LockTooLong": "A lock can run until block {latest} at most; block {unlockBlock} is too far.",
    "LockShortened": "A lock can be extended, never shortened: it runs until block {current}, not {unlockBlock}.",
    "NoLock": "{account} has no BTK locked.",
    "StillLocked": "The BTK are locked until block {unlockBlock}.",
    "LockExpired": "The lock ended at block {unlockBlock}: withdraw it before locking again.",
    "FutureLookup": "Block {timepoint} is not mined yet (the chain is at {current}).",
    # BlocktrackWeightedGovernor (vault/chain/dao/power.py)
    "QuadraticNeedsMembership": ("This proposal counts one person one square root; you need a membership "
                                 "credential ({voter} holds no valid BlocktrackMembership credential issued "
                                 "before the proposal was created)."),
    "TooManyBonusTypes": "The governor gives a bonus to at most {max} credential types; remove one first.",
    "NotConfigurator": "{caller} may not wire the governor's power sources: only governance changes them now.",
    # SubDaoTreasury (vault/chain/dao/subdaos.py)
    "UnknownSubDao": "There is no sub-DAO {daoId}.",
    "UnknownSpend": "There is no sub-DAO grant {spendId}.",
    "InvalidCouncil": ("A council needs a name, 1 to 15 distinct members (no zero address) and a number of "
                       "approvals between 1 and its size."),
    "NotCouncilMember": "{account} is not on the council of sub-DAO {daoId}.",
    "AlreadyApproved": "{account} already approved sub-DAO grant {spendId}.",
    "SpendClosed": "Sub-DAO grant {spendId} is already paid or cancelled.",
    "CouncilReplaced": "The council that proposed sub-DAO grant {spendId} was replaced: propose it again.",
    "InvalidRecipient": "A grant needs a recipient (not the zero address).",
    "ExceedsSubDaoBudget": "The sub-DAO's budget has {available} left; this needs {needed}.",
    "ExceedsReserve": ("The sub-DAO reserve holds {available} not yet allocated; this needs {needed}. Send BTK "
                       "to the sub-DAO treasury first (a treasury grant to its address)."),
    # SubDaoGrants (vault/chain/dao/subdao_grants.py)
    "NotSubDaoCouncil": ("{account} is not on the council of sub-DAO {daoId}: only its council proposes or "
                         "cancels its grants."),
    "UnknownSubDaoGrant": "There is no sub-DAO milestone grant {grantId}.",
    "GrantNotProposed": "Sub-DAO milestone grant {grantId} is already funded or cancelled.",
    "GrantNotActive": "Sub-DAO milestone grant {grantId} is not funded, or completed or cancelled: nothing to release.",
    "SpendAlreadyUsed": "Sub-DAO grant {spendId} already funded a milestone grant: each spend funds one.",
    "SpendOfAnotherSubDao": "Sub-DAO grant {spendId} was paid by another sub-DAO's budget (number {daoId}, from 0).",
    "SpendNotToGrants": "Sub-DAO grant {spendId} paid {to}, not the milestone-grants contract.",
    "SpendAmountMismatch": "Sub-DAO grant {spendId} paid {amount}; this milestone grant needs exactly {needed}.",
    "SpendNotPaid": "Sub-DAO grant {spendId} is not paid yet (or was cancelled): it needs its council's approvals.",
    "NotSubDaoGrantApprover": "{account} is not the approver of sub-DAO milestone grant {grantId}.",
    # ParticipationRewards (vault/chain/dao/rewards.py)
    "VotingNotOver": "The vote on proposal {proposalId} is not over yet: register it after its deadline.",
    "QuorumNotReached": "Proposal {proposalId} did not reach quorum: its voters share no rewards.",
    "AlreadyRegistered": "Proposal {proposalId} already counts in its epoch's rewards.",
    "RegistrationClosed": "Proposal {proposalId}'s epoch ({epoch}) closed for registration at the end of the next one.",
    "EpochFull": "Epoch {epoch} already counts the most proposals it can.",
    "EpochNotClosed": "Epoch {epoch}'s rewards can be claimed from block {claimableFrom} on.",
    "AlreadyClaimed": "{voter} already claimed the rewards of epoch {epoch}.",
    "NotExecuted": "Proposal {proposalId} is not executed: its proposer's bounty comes once it is.",
    "NotProposer": "{account} did not make proposal {proposalId}: only its proposer claims the bounty.",
    "BountyAlreadyClaimed": "The bounty of proposal {proposalId} was already claimed.",
    "ReserveTooLow": "The rewards reserve holds {available}; this needs {needed}. The treasury tops it up by a grant.",
    # CrossChainVotes (vault/chain/dao/crosschain.py)
    "RemoteRootAlreadySet": "Proposal {proposalId} already has its root of balances on the other chain; it is "
                            "recorded once.",
    "EmptyRemoteRoot": "The root of balances must not be zero.",
    "NotProposalAuthor": "{account} did not make proposal {proposalId}: only its proposer (or governance) records "
                         "its root of balances on the other chain.",
    "RemoteRootTooLate": "Proposal {proposalId} is {current}: its proposer records the root of the other chain's "
                         "balances only while it is Pending, before anyone votes.",
    "NoRemoteRoot": "Proposal {proposalId} has no root of balances on another chain: it takes no votes from there.",
    "RemoteVotingNotActive": "Proposal {proposalId} is {current}: votes from the other chain count only while it "
                             "is Active.",
    "InvalidRemoteSupport": "A vote must be 0 (against), 1 (for) or 2 (abstain), not {support}.",
    "InvalidRemoteSignature": "The ballot's signature is not {voter}'s for this proposal, vote and weight on this "
                              "contract: it was altered, forged or signed for something else.",
    "InvalidRemoteProof": "The Merkle proof does not show that {voter} held {weight} on the other chain at the "
                          "proposal's snapshot: the ballot was altered or made for another tree.",
    "RemoteAlreadyVoted": "{voter} has already voted on proposal {proposalId} from the other chain.",
    # SoulboundCredential and ERC-721
    "Soulbound": "Soulbound credentials cannot be transferred or approved.",
    "EmptyCredentialHash": "The credential hash is empty.",
    "CredentialAlreadyAnchored": "This credential is already anchored as token {tokenId}.",
    "NotCredentialIssuer": "{account} did not issue credential token {tokenId}: only its issuer may revoke it "
                           "or declare its type.",
    "AlreadyRevoked": "Credential token {tokenId} is already revoked.",
    "ERC721NonexistentToken": "There is no credential token {tokenId}.",
    "ERC721InvalidReceiver": "{receiver} cannot receive credential tokens.",
    # RewardsPool (learn-to-earn)
    "InsufficientUnreserved": "The rewards pool holds only {available} beyond what it has promised; "
                              "{requested} is more: fund it from the treasury first.",
    "BudgetBelowAmount": "A budget of {budget} cannot pay even one reward of {amount}.",
    "EndBlockPassed": "The end block {endBlock} has passed (the chain is at block {currentBlock}).",
    "UnknownSchedule": "There is no reward schedule {scheduleId}.",
    "ScheduleNotOpen": "Reward schedule {scheduleId} is closed or past its end block.",
    "ScheduleStillOpen": "Reward schedule {scheduleId} runs until block {endBlock}; until then only "
                         "governance may close it.",
    "UnknownCredential": "There is no credential token {tokenId}.",
    "NotAnchored": "No credential is anchored with hash {credentialHash}: anchor it first.",
    "IssuerRoleMissing": "{issuer} no longer holds the issuer role, so its credentials earn no reward.",
    "TypeAlreadyDeclared": "The type of credential token {tokenId} was already declared ({credentialType}).",
    "NotCredentialHolder": "Credential token {tokenId} is not held by {account}: only its holder claims "
                           "its reward.",
    "CredentialWasRevoked": "Credential token {tokenId} was revoked: its reward can no longer be claimed.",
    "WrongIssuer": "Credential token {tokenId} was issued by {issuer}; this schedule pays for credentials "
                   "of {scheduleIssuer}.",
    "WrongCredentialType": "Credential token {tokenId} is not of the type this schedule pays for.",
    "RewardAlreadyClaimed": "The reward of credential token {tokenId} was already claimed (schedule "
                            "{scheduleId}): a credential earns once.",
    "BudgetExhausted": "Reward schedule {scheduleId} has spent its budget ({budgetLeft} left).",
    "UnknownBounty": "There is no bounty {bountyId}.",
    "NotBountyAccount": "Bounty {bountyId} was not granted to {account}.",
    "BountyNotOpen": "Bounty {bountyId} was already claimed or cancelled.",
    # ReputationRegistry
    "InsufficientBond": "You asked to unbond {requested} but only {bonded} is bonded.",
    "NothingUnbonding": "There is nothing to withdraw: start unbonding first.",
    "UnbondingNotOver": "The unbonding delay is not over: withdraw from block {readyAtBlock} on.",
    "UnbondingTooLong": "An unbonding delay of {blocks} blocks is above the maximum of {maxBlocks}.",
    "NothingToSlash": "{account} has nothing bonded or unbonding to slash.",
    "EmptyReason": "A slash needs a reason, recorded on chain.",
    # PeerReview
    "FeeTooLow": "A review fee of {fee} is below the minimum of {minFee}.",
    "EmptyContentHash": "The work's content hash is empty.",
    "UnknownSubmission": "There is no submission {id}.",
    "BondTooSmall": "{reviewer} has {bonded} bonded; reviewing needs a reputation bond of {minBond} "
                    "(`vault bond add`).",
    "SubmitterCannotReview": "You submitted {id}: someone else reviews it.",
    "AlreadyReviewed": "{reviewer} has already reviewed submission {id}.",
    "ReviewWindowClosed": "The review window of submission {id} closed at block {deadline}.",
    "ReviewWindowOpen": "Submission {id} can be finalized after block {deadline}, once its review window "
                        "has closed.",
    "TooManyReviews": "Submission {id} has as many reviews as it can take.",
    "NotOpen": "Submission {id} was already finalized.",
    "InvalidSettings": "These review settings are not allowed (window 1 to 201,600 blocks, 1 to 25 reviews).",
}

# Argument names that carry BTK amounts (wei), block-timestamps, basis points, states.
_BTK_ARGS = {"balance", "needed", "allowance", "requested", "available", "amount", "votes", "threshold",
             "price", "budget", "stake", "staked", "required", "budgetLeft", "bonded", "fee", "minFee", "minBond",
             "weight"}
_TIME_ARGS = {"deadline", "expiry", "refundableAt"}
_BPS_ARGS = {"bps", "maxBps"}
_PROPOSAL_STATE_ERRORS = {"GovernorUnexpectedProposalState", "RemoteRootTooLate", "RemoteVotingNotActive"}


@dataclass(frozen=True)
class DecodedRevert:
    name: str  # custom error name, "Error" or "Panic"; "" when there is no data, "?" unknown
    args: tuple
    arg_names: tuple[str, ...]
    message: str
    data: bytes

    def to_json(self) -> dict:
        return {"error": self.name, "args": {n: _jsonable(a) for n, a in zip(self.arg_names, self.args)},
                "message": self.message, "data": "0x" + self.data.hex()}


def _jsonable(value):
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


@lru_cache(maxsize=1)
def error_table() -> dict[bytes, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """selector -> (name, types, argument names), from every artifact's ABI."""
    table = {}
    for artifact in all_artifacts():
        for item in artifact["abi"]:
            if item["type"] != "error":
                continue
            names = tuple(i["name"] or f"arg{n}" for n, i in enumerate(item["inputs"]))
            table[selector(item)] = (item["name"], input_types(item), names)
    return table


def decode_error(raw: bytes) -> tuple[str, tuple]:
    """(name, args) of a custom error from any artifact; ValueError when unknown."""
    entry = error_table().get(bytes(raw[:4])) if len(raw) >= 4 else None
    if entry is None:
        raise ValueError(f"revert data matches no known error: 0x{bytes(raw).hex()}")
    name, types, _ = entry
    return name, tuple(abi_decode(list(types), bytes(raw[4:])))


def decode_revert(raw: bytes | None) -> DecodedRevert:
    """Any revert data (or none) as a DecodedRevert with a sentence."""
    raw = bytes(raw or b"")
    if not raw:
        return DecodedRevert("", (), (), "The contract refused the transaction without giving a reason.", raw)
    selector = raw[:4]
    try:
        if selector == ERROR_STRING:
            (text,) = abi_decode(["string"], raw[4:])
            return DecodedRevert("Error", (text,), ("reason",), f"The contract refused: {text}", raw)
        if selector == PANIC:
            (code,) = abi_decode(["uint256"], raw[4:])
            what = PANIC_CODES.get(code, f"panic code 0x{code:02x}")
            return DecodedRevert("Panic", (code,), ("code",), f"The contract stopped on {what}.", raw)
        entry = error_table().get(selector)
        if entry is not None:
            name, types, names = entry
            args = tuple(abi_decode(list(types), raw[4:]))
            return DecodedRevert(name, args, names, _sentence(name, names, args), raw)
    except Exception:  # malformed data: fall through to the unknown case
        log.debug("revert data did not decode as its error's arguments", exc_info=True)
    return DecodedRevert("?", (), (), f"The contract refused with an error this app does not know "
                                      f"(0x{raw[:4].hex()}).", raw)


def _sentence(name: str, names: tuple[str, ...], args: tuple) -> str:
    values = {n: _format_arg(name, n, a) for n, a in zip(names, args)}
    template = SENTENCES.get(name)
    if template is not None:
        try:
            return template.format(**values)
        except (KeyError, IndexError):
            pass
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()
    words = words[0].upper() + words[1:] if words else name
    detail = ", ".join(f"{n} {v}" for n, v in values.items())
    return f"The contract refused: {words}" + (f" ({detail})." if detail else ".")


def _format_arg(error: str, name: str, value):
    if isinstance(value, bytes):
        if error == "GovernorUnexpectedProposalState" and name == "expectedStates":
            return _bitmap(value, PROPOSAL_STATES)
        if error == "TimelockUnexpectedOperationState" and name == "expectedStates":
            return _bitmap(value, TIMELOCK_STATES)
        return "0x" + value.hex()
    if isinstance(value, str) and _ADDRESS.fullmatch(value):
        return to_checksum_address(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    if name == "current" and error in _PROPOSAL_STATE_ERRORS:
        return PROPOSAL_STATES[value] if value < len(PROPOSAL_STATES) else str(value)
    if name in _BTK_ARGS:
        return format_units(value, "BTK")
    if name in _TIME_ARGS:
        return datetime.fromtimestamp(value, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    if name in _BPS_ARGS:
        return percent(value)
    return f"{value}"


def _bitmap(value: bytes, states: list[str]) -> str:
    bits = int.from_bytes(value, "big")
    chosen = [s for i, s in enumerate(states) if bits >> i & 1]
    return " or ".join(chosen) or "in another state"


# ---- digging the bytes out of web3's exceptions -----------------------------------------

_HEX = re.compile(r"0x[0-9a-fA-F]*")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def revert_data(exc: BaseException) -> bytes | None:
    """The raw revert data behind a failed call, estimate or transaction; None if none.

    Handles a JSON-RPC node's ``data`` (ContractLogicError.data, or the RPC error dict),
    and EthereumTesterProvider's eth-tester TransactionFailed: the bytes themselves in
    the chained exception, or their ``repr`` in the message of an ``eth_call``."""
    seen: set[int] = set()
    pending: list = [exc]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        found = _data_of(current)
        if found is not None:
            return found
        if isinstance(current, BaseException):
            pending += [a for a in current.args if isinstance(a, BaseException)]
            pending += [current.__cause__, current.__context__]
    return None


def _data_of(current) -> bytes | None:
    data = getattr(current, "data", None)
    if isinstance(data, dict):
        data = data.get("data")
    if isinstance(data, (bytes, bytearray)):
        return bytes(data)
    if isinstance(data, str) and _HEX.fullmatch(data):
        return bytes.fromhex(data[2:])
    rpc = getattr(current, "rpc_response", None)
    if isinstance(rpc, dict):
        error = rpc.get("error")
        if isinstance(error, dict):
            value = error.get("data")
            if isinstance(value, dict):
                value = value.get("data")
            if isinstance(value, str) and _HEX.fullmatch(value):
                return bytes.fromhex(value[2:])
    if not isinstance(current, BaseException):
        return None
    for arg in current.args:
        if isinstance(arg, (bytes, bytearray)):
            return bytes(arg)
        if isinstance(arg, str):
            text = arg.removeprefix("execution reverted: ").strip()
            if text[:2] in ("b'", 'b"'):
                try:
                    value = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    continue
                if isinstance(value, bytes):
                    return value
    return None


def is_revert(exc: BaseException) -> bool:
    """Whether web3 raised this because the EVM reverted (not e.g. a transport error)."""
    # start-up: web3 ~640 ms; only once a node answered
    from web3.exceptions import ContractCustomError, ContractLogicError, ContractPanicError

    if isinstance(exc, (ContractLogicError, ContractCustomError, ContractPanicError)):
        return True
    try:
        from eth_tester.exceptions import TransactionFailed
    except ImportError:  # pragma: no cover - eth-tester is a dependency
        return False
    return isinstance(exc, TransactionFailed)


def revert_error(data: bytes | None) -> ChainError:
    """The ChainError for revert data: insufficient-btk for the token's balance error,
    reverted (with the decoded sentence) otherwise."""
    decoded = decode_revert(data)
    reason = "insufficient-btk" if decoded.name == "ERC20InsufficientBalance" else "reverted"
    return ChainError(reason, decoded.message, error=decoded.name, revert=decoded.to_json())


@lru_cache(maxsize=1)
def decoding_contract_class():
    """A web3 Contract class (``w3.eth.contract(..., ContractFactoryClass=...)``) whose
    function calls raise ``revert_error`` when the EVM reverts: a read that reverts (an
    unknown proposal's state, say) says why, on every backend, wherever it is called."""
    # start-up: web3 ~640 ms (as above); only when a chain is opened
    from web3.contract import Contract
    from web3.contract.base_contract import BaseContractFunctions
    from web3.contract.contract import ContractFunction

    class DecodingFunction(ContractFunction):
        def call(self, transaction=None, block_identifier=None, state_override=None, ccip_read_enabled=None):
            try:
                direct = direct_call.direct_reader(self)
                if direct is not None:  # the embedded chain: straight to the EVM (direct_call.py)
                    value = direct_call.read(self, direct, transaction, block_identifier, state_override)
                    if not direct_call.is_empty(value):
                        return value
                return super().call(transaction, block_identifier, state_override, ccip_read_enabled)
            except ChainError:
                raise
            except Exception as exc:
                if is_revert(exc):
                    raise revert_error(revert_data(exc)) from exc
                raise

    class DecodingFunctions(BaseContractFunctions[DecodingFunction]):
        def __init__(self, abi, w3, address=None, decode_tuples=False):
            super().__init__(abi, w3, DecodingFunction, address, decode_tuples)

    class DecodingContract(Contract):
        def __init__(self, address=None):
            super().__init__(address)
            self.functions = DecodingFunctions(self.abi, self.w3, self.address, decode_tuples=self.decode_tuples)

    return DecodingContract
