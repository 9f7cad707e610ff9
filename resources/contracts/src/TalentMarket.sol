// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SoulboundCredential} from "./SoulboundCredential.sol";
import {StakingPool} from "./StakingPool.sol";

/// BTK's burn (ERC20Burnable); a token without it makes `burn(0)` revert.
interface IBurnable {
    function burn(uint256 value) external;
}

/// @title A talent network: bids backed by stake, the client pays the fee, connectors for life
/// @notice A client posts an offer with a budget and, optionally, gates: a valid soulbound
/// credential from a named issuer (and of a declared type) and/or a minimum stake in the
/// StakingPool, both checked when a talent bids. Talent bid a price (at most the budget), a
/// message and an optional BTK stake; a bid may be withdrawn until one is accepted. The
/// client accepts one bid: every other stake is returned at once, the winner's stays as a
/// delivery bond. The client funds price + fee; on release the talent receives the whole
/// price and the bond back, and the fee is split: each side's referrer (its connector, named
/// once for life) earns `connectorBps` of the price, the rest of the fee is shared between
/// burning (`burnBps` of it) and the treasury. A refund returns price + fee to the client;
/// after the delivery window `forfeitBps` of the bond goes to the client as well.
/// @dev Governance is the owner (the timelock, also the treasury); every parameter has a cap
/// and the fee always covers both connectors (2 * connectorBps <= feeBps). The terms in
/// force when a bid is accepted are fixed for that offer. Every function that moves tokens
/// is `nonReentrant` and changes state first. SoulboundCredential stores no credential type,
/// so a token's issuer declares it here once (`setCredentialType`); a gate with a zero type
/// accepts any valid credential of its issuer. Burning needs a burnable token: on a chain
/// whose BTK predates `burn`, `canBurn` is false and a non-zero burn share is refused.
contract TalentMarket is Ownable, ReentrancyGuardTransient, EIP712 {
    using SafeERC20 for IERC20;

    uint256 private constant BPS = 10_000;
    uint16 public constant MAX_FEE_BPS = 1_000;
    uint16 public constant MAX_CONNECTOR_BPS = 250;
    uint16 public constant MAX_BURN_BPS = 5_000;
    uint16 public constant MAX_FORFEIT_BPS = 10_000;
    uint64 public constant MAX_DELIVERY_WINDOW = 365 days;
    /// Bids per offer (withdrawn ones count): bounds the loop that returns losing stakes.
    uint256 public constant MAX_BIDS = 50;
    uint256 public constant MAX_MESSAGE_BYTES = 1_000;
    bytes32 public constant REFERRAL_TYPEHASH =
        keccak256("Referral(address account,address referrer,uint256 deadline)");

    enum Status {
        Open,
        Accepted,
        Funded,
        Released,
        Refunded,
        Cancelled
    }

    struct Gate {
        address issuer; // zero: no credential needed
        bytes32 credentialType; // zero: any valid credential of the issuer
        uint256 minStake; // BTK wei staked in the StakingPool; zero: none
    }

    /// The governance-set terms, fixed on an offer when its bid is accepted.
    struct Terms {
        uint16 feeBps; // of the price, paid by the client on top of it
        uint16 connectorBps; // of the price, to each side's referrer, out of the fee
        uint16 burnBps; // of what the fee leaves after the connectors
        uint16 forfeitBps; // of the bond, to the client on a refund after the delivery window
    }

    struct Offer {
        address client;
        Status status;
        uint64 deliveryWindow;
        uint64 refundableAt; // set when funded
        address talent;
        uint32 acceptedBid;
        Terms terms;
        uint256 budget;
        uint256 price; // the accepted bid's
        uint256 bond; // the accepted bid's stake
        Gate gate;
        string details;
    }

    struct Bid {
        address bidder;
        bool active;
        uint256 price;
        uint256 stake;
    }

    IERC20 public immutable token;
    SoulboundCredential public immutable soulbound;
    StakingPool public immutable staking;
    /// False when the token has no `burn`: the burn share must then stay zero.
    bool public immutable canBurn;
    Terms public terms;

    Offer[] private _offers;
    mapping(uint256 offerId => Bid[]) private _bids;
    mapping(uint256 offerId => mapping(address bidder => uint256)) private _activeBidPlusOne;
    mapping(address account => address) public referrerOf;
    mapping(address connector => uint256) public earnings;
    mapping(uint256 tokenId => bytes32) public credentialTypeOf;

    event OfferPosted(
        uint256 indexed offerId,
        address indexed client,
        uint256 budget,
        uint64 deliveryWindow,
        Gate gate,
        string details
    );
    event BidPlaced(
        uint256 indexed offerId,
        uint256 bidId,
        address indexed bidder,
        uint256 price,
        uint256 stake,
        bytes32 messageHash,
        string message
    );
    event BidWithdrawn(uint256 indexed offerId, uint256 bidId, address indexed bidder, uint256 stake);
    event StakeReleased(uint256 indexed offerId, uint256 bidId, address indexed bidder, uint256 stake);
    event BidAccepted(
        uint256 indexed offerId, uint256 bidId, address indexed talent, uint256 price, uint256 bond, Terms terms
    );
    event OfferFunded(uint256 indexed offerId, address indexed client, uint256 price, uint256 fee, uint64 refundableAt);
    event OfferReleased(
        uint256 indexed offerId, address indexed talent, uint256 price, uint256 bond, uint256 treasury, uint256 burned
    );
    event ConnectorPaid(uint256 indexed offerId, address indexed connector, address indexed referred, uint256 amount);
    event OfferRefunded(
        uint256 indexed offerId, address indexed by, uint256 toClient, uint256 bondToClient, uint256 bondToTalent
    );
    event OfferCancelled(uint256 indexed offerId);
    event ReferrerRegistered(address indexed account, address indexed referrer);
    event EarningsWithdrawn(address indexed connector, uint256 amount);
    event CredentialTypeSet(uint256 indexed tokenId, address indexed issuer, bytes32 indexed credentialType);
    event TermsChanged(Terms oldTerms, Terms newTerms);

    error ZeroAddress();
    error ZeroAmount();
    error FeeTooHigh(uint256 bps, uint256 maxBps);
    error ConnectorShareTooHigh(uint256 bps, uint256 maxBps);
    error BurnShareTooHigh(uint256 bps, uint256 maxBps);
    error ForfeitShareTooHigh(uint256 bps, uint256 maxBps);
    /// Both connectors are paid out of the fee, so it must cover twice their share.
    error FeeBelowConnectors(uint256 feeBps, uint256 connectorBps);
    error BurnNotSupported();
    error DeliveryWindowTooLong(uint256 secondsGiven, uint256 maxSeconds);
    error OfferNotFound(uint256 offerId);
    error BidNotFound(uint256 offerId, uint256 bidId);
    error NotOfferClient(uint256 offerId);
    error NotOfferParty(uint256 offerId);
    error NotBidder(uint256 offerId, uint256 bidId);
    error ClientCannotBid(uint256 offerId);
    error OfferNotOpen(uint256 offerId);
    error OfferNotAccepted(uint256 offerId);
    error OfferNotFunded(uint256 offerId);
    error OfferNotCancellable(uint256 offerId);
    error BidAboveBudget(uint256 price, uint256 budget);
    error AlreadyBidding(uint256 offerId, uint256 bidId);
    error TooManyBids(uint256 offerId, uint256 maxBids);
    error MessageTooLong(uint256 length, uint256 maxLength);
    error BidNotActive(uint256 offerId, uint256 bidId);
    error CredentialRequired(address issuer, bytes32 credentialType);
    error StakeTooLow(uint256 staked, uint256 required);
    error OfferRefundNotYetAllowed(uint256 offerId, uint256 refundableAt);
    error ReferrerAlreadySet(address account, address referrer);
    error InvalidReferrer(address referrer);
    error SignatureExpired(uint256 deadline);
    error InvalidSignature(address account);
    error NothingToWithdraw();
    error NotTokenIssuer(uint256 tokenId, address account);
    error CredentialTypeAlreadySet(uint256 tokenId, bytes32 credentialType);
    /// The owner is the treasury that receives fees; it cannot be renounced.
    error OwnershipCannotBeRenounced();

    constructor(
        IERC20 token_,
        SoulboundCredential soulbound_,
        StakingPool staking_,
        address governance,
        Terms memory terms_
    ) Ownable(governance) EIP712("Blocktrack TalentMarket", "1") {
        if (address(token_) == address(0) || address(soulbound_) == address(0) || address(staking_) == address(0)) {
            revert ZeroAddress();
        }
        token = token_;
        soulbound = soulbound_;
        staking = staking_;
        // A probe, not a flag: only a token that really burns may be given a burn share.
        bool burns;
        try IBurnable(address(token_)).burn(0) {
            burns = true;
        } catch {}
        canBurn = burns;
        _setTerms(terms_);
    }

    // ---------------------------------------------------------------- clients

    function post(uint256 budget, uint64 deliveryWindow, Gate calldata gate, string calldata details)
        external
        returns (uint256 offerId)
    {
        if (budget == 0) revert ZeroAmount();
        if (deliveryWindow > MAX_DELIVERY_WINDOW) revert DeliveryWindowTooLong(deliveryWindow, MAX_DELIVERY_WINDOW);
        if (gate.issuer == address(0) && gate.credentialType != bytes32(0)) revert ZeroAddress();
        offerId = _offers.length;
        Offer storage o = _offers.push();
        o.client = msg.sender;
        o.deliveryWindow = deliveryWindow;
        o.budget = budget;
        o.gate = gate;
        o.details = details;
        emit OfferPosted(offerId, msg.sender, budget, deliveryWindow, gate, details);
    }

    /// Take one bid: the other stakes go back now, the winner's stays as a delivery bond.
    function acceptBid(uint256 offerId, uint256 bidId) external nonReentrant {
        Offer storage o = _offer(offerId);
        if (msg.sender != o.client) revert NotOfferClient(offerId);
        if (o.status != Status.Open) revert OfferNotOpen(offerId);
        Bid storage b = _bid(offerId, bidId);
        if (!b.active) revert BidNotActive(offerId, bidId);
        b.active = false;
        _activeBidPlusOne[offerId][b.bidder] = 0;
        o.status = Status.Accepted;
        o.talent = b.bidder;
        o.acceptedBid = uint32(bidId);
        o.price = b.price;
        o.bond = b.stake;
        o.terms = terms;
        emit BidAccepted(offerId, bidId, b.bidder, b.price, b.stake, o.terms);
        _releaseStakes(offerId);
    }

    /// Pay price + fee into escrow; the client approved the market beforehand.
    function fund(uint256 offerId) external nonReentrant {
        Offer storage o = _offer(offerId);
        if (msg.sender != o.client) revert NotOfferClient(offerId);
        if (o.status != Status.Accepted) revert OfferNotAccepted(offerId);
        o.status = Status.Funded;
        uint64 refundableAt = uint64(block.timestamp) + o.deliveryWindow;
        o.refundableAt = refundableAt;
        uint256 fee = o.price * o.terms.feeBps / BPS;
        token.safeTransferFrom(msg.sender, address(this), o.price + fee);
        emit OfferFunded(offerId, msg.sender, o.price, fee, refundableAt);
    }

    /// Pay the talent the whole price and its bond back; split the fee.
    function release(uint256 offerId) external nonReentrant {
        Offer storage o = _offer(offerId);
        if (msg.sender != o.client) revert NotOfferClient(offerId);
        if (o.status != Status.Funded) revert OfferNotFunded(offerId);
        o.status = Status.Released;
        uint256 rest = o.price * o.terms.feeBps / BPS;
        rest -= _payConnector(offerId, o.client, o.price, o.terms.connectorBps);
        rest -= _payConnector(offerId, o.talent, o.price, o.terms.connectorBps);
        uint256 burned = rest * o.terms.burnBps / BPS;
        uint256 toTreasury = rest - burned;
        emit OfferReleased(offerId, o.talent, o.price, o.bond, toTreasury, burned);
        if (burned > 0) IBurnable(address(token)).burn(burned);
        if (toTreasury > 0) token.safeTransfer(owner(), toTreasury);
        token.safeTransfer(o.talent, o.price + o.bond);
    }

    /// Return price + fee to the client: the talent may at any time, the client once the
    /// delivery window has passed. After the window the client also gets `forfeitBps` of the bond.
    function refund(uint256 offerId) external nonReentrant {
        Offer storage o = _offer(offerId);
        if (msg.sender != o.client && msg.sender != o.talent) revert NotOfferParty(offerId);
        if (o.status != Status.Funded) revert OfferNotFunded(offerId);
        bool late = block.timestamp >= o.refundableAt;
        if (msg.sender == o.client && !late) revert OfferRefundNotYetAllowed(offerId, o.refundableAt);
        o.status = Status.Refunded;
        uint256 bondToClient = late ? o.bond * o.terms.forfeitBps / BPS : 0;
        uint256 bondToTalent = o.bond - bondToClient;
        uint256 toClient = o.price + o.price * o.terms.feeBps / BPS + bondToClient;
        emit OfferRefunded(offerId, msg.sender, toClient, bondToClient, bondToTalent);
        token.safeTransfer(o.client, toClient);
        if (bondToTalent > 0) token.safeTransfer(o.talent, bondToTalent);
    }

    /// Withdraw an offer that is not funded yet; every stake still held goes back.
    function cancel(uint256 offerId) external nonReentrant {
        Offer storage o = _offer(offerId);
        if (msg.sender != o.client) revert NotOfferClient(offerId);
        Status status = o.status;
        if (status != Status.Open && status != Status.Accepted) revert OfferNotCancellable(offerId);
        o.status = Status.Cancelled;
        emit OfferCancelled(offerId);
        if (status == Status.Open) {
            _releaseStakes(offerId);
        } else if (o.bond > 0) {
            uint256 bond = o.bond;
            o.bond = 0;
            emit StakeReleased(offerId, o.acceptedBid, o.talent, bond);
            token.safeTransfer(o.talent, bond);
        }
    }

    // ----------------------------------------------------------------- talent

    /// Bid on an open offer; `credentialTokenId` is the soulbound token meeting its
    /// credential gate (ignored when it has none). A stake is taken from an approval.
    function bid(uint256 offerId, uint256 price, uint256 stake, uint256 credentialTokenId, string calldata message)
        external
        nonReentrant
        returns (uint256 bidId)
    {
        Offer storage o = _offer(offerId);
        if (o.status != Status.Open) revert OfferNotOpen(offerId);
        if (msg.sender == o.client) revert ClientCannotBid(offerId);
        if (price == 0) revert ZeroAmount();
        if (price > o.budget) revert BidAboveBudget(price, o.budget);
        uint256 existing = _activeBidPlusOne[offerId][msg.sender];
        if (existing != 0) revert AlreadyBidding(offerId, existing - 1);
        if (_bids[offerId].length >= MAX_BIDS) revert TooManyBids(offerId, MAX_BIDS);
        if (bytes(message).length > MAX_MESSAGE_BYTES) revert MessageTooLong(bytes(message).length, MAX_MESSAGE_BYTES);
        _checkGate(o.gate, msg.sender, credentialTokenId);
        bidId = _bids[offerId].length;
        _bids[offerId].push(Bid({bidder: msg.sender, active: true, price: price, stake: stake}));
        _activeBidPlusOne[offerId][msg.sender] = bidId + 1;
        emit BidPlaced(offerId, bidId, msg.sender, price, stake, keccak256(bytes(message)), message);
        if (stake > 0) token.safeTransferFrom(msg.sender, address(this), stake);
    }

    /// Take back a bid and its stake before one is accepted (or after a cancellation).
    function withdrawBid(uint256 offerId, uint256 bidId) external nonReentrant {
        Bid storage b = _bid(offerId, bidId);
        if (msg.sender != b.bidder) revert NotBidder(offerId, bidId);
        if (!b.active) revert BidNotActive(offerId, bidId);
        b.active = false;
        _activeBidPlusOne[offerId][msg.sender] = 0;
        emit BidWithdrawn(offerId, bidId, msg.sender, b.stake);
        if (b.stake > 0) token.safeTransfer(msg.sender, b.stake);
    }

    // ------------------------------------------------------------- connectors

    /// Name the caller's referrer, once and for life.
    function registerReferrer(address referrer) external {
        _registerReferrer(msg.sender, referrer);
    }

    /// Name `account`'s referrer with its EIP-712 signature, so that anyone (the referrer,
    /// a relayer) can submit it and pay the gas. Set once, so a signature cannot be replayed.
    function registerReferrerFor(address account, address referrer, uint256 deadline, bytes calldata signature)
        external
    {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(REFERRAL_TYPEHASH, account, referrer, deadline)));
        if (!SignatureChecker.isValidSignatureNow(account, digest, signature)) revert InvalidSignature(account);
        _registerReferrer(account, referrer);
    }

    function withdrawEarnings() external nonReentrant {
        uint256 amount = earnings[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        earnings[msg.sender] = 0;
        emit EarningsWithdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- issuers

    /// Declare, once, the type of a soulbound credential one issued (the hash of its type
    /// name, e.g. keccak256("BachelorDegree")), so that gates can ask for it.
    function setCredentialType(uint256 tokenId, bytes32 credentialType) external {
        (, SoulboundCredential.Credential memory c) = soulbound.credential(tokenId);
        if (c.issuer != msg.sender) revert NotTokenIssuer(tokenId, msg.sender);
        bytes32 current = credentialTypeOf[tokenId];
        if (current != bytes32(0)) revert CredentialTypeAlreadySet(tokenId, current);
        if (credentialType == bytes32(0)) revert ZeroAmount();
        credentialTypeOf[tokenId] = credentialType;
        emit CredentialTypeSet(tokenId, msg.sender, credentialType);
    }

    // ------------------------------------------------------------- governance

    /// New terms for bids accepted from now on (capped; the fee covers both connectors).
    function setTerms(Terms calldata newTerms) external onlyOwner {
        _setTerms(newTerms);
    }

    function renounceOwnership() public view override onlyOwner {
        revert OwnershipCannotBeRenounced();
    }

    // ------------------------------------------------------------------ views

    /// Where the fee's rest goes: the owner (the timelock).
    function treasury() external view returns (address) {
        return owner();
    }

    function offerCount() external view returns (uint256) {
        return _offers.length;
    }

    function offers(uint256 offerId) external view returns (Offer memory) {
        return _offer(offerId);
    }

    function bidCount(uint256 offerId) external view returns (uint256) {
        _offer(offerId);
        return _bids[offerId].length;
    }

    function bids(uint256 offerId, uint256 bidId) external view returns (Bid memory) {
        return _bid(offerId, bidId);
    }

    /// Whether `account` would pass the offer's gates with `credentialTokenId` now, and its stake.
    function gateStatus(uint256 offerId, address account, uint256 credentialTokenId)
        external
        view
        returns (bool credentialOk, bool stakeOk, uint256 staked)
    {
        Gate storage g = _offer(offerId).gate;
        credentialOk = g.issuer == address(0) || _credentialMeets(g, account, credentialTokenId);
        staked = g.minStake == 0 ? 0 : staking.stakeOf(account);
        stakeOk = staked >= g.minStake;
    }

    // --------------------------------------------------------------- internal

    function _offer(uint256 offerId) internal view returns (Offer storage) {
        if (offerId >= _offers.length) revert OfferNotFound(offerId);
        return _offers[offerId];
    }

    function _bid(uint256 offerId, uint256 bidId) internal view returns (Bid storage) {
        _offer(offerId);
        if (bidId >= _bids[offerId].length) revert BidNotFound(offerId, bidId);
        return _bids[offerId][bidId];
    }

    function _setTerms(Terms memory t) internal {
        if (t.feeBps > MAX_FEE_BPS) revert FeeTooHigh(t.feeBps, MAX_FEE_BPS);
        if (t.connectorBps > MAX_CONNECTOR_BPS) revert ConnectorShareTooHigh(t.connectorBps, MAX_CONNECTOR_BPS);
        if (2 * uint256(t.connectorBps) > t.feeBps) revert FeeBelowConnectors(t.feeBps, t.connectorBps);
        if (t.burnBps > MAX_BURN_BPS) revert BurnShareTooHigh(t.burnBps, MAX_BURN_BPS);
        if (t.burnBps > 0 && !canBurn) revert BurnNotSupported();
        if (t.forfeitBps > MAX_FORFEIT_BPS) revert ForfeitShareTooHigh(t.forfeitBps, MAX_FORFEIT_BPS);
        emit TermsChanged(terms, t);
        terms = t;
    }

    function _registerReferrer(address account, address referrer) internal {
        if (referrer == address(0) || referrer == account) revert InvalidReferrer(referrer);
        address current = referrerOf[account];
        if (current != address(0)) revert ReferrerAlreadySet(account, current);
        referrerOf[account] = referrer;
        emit ReferrerRegistered(account, referrer);
    }

    /// Credit `referred`'s connector its share of the price; returns what it took from the fee.
    function _payConnector(uint256 offerId, address referred, uint256 price, uint16 bps) internal returns (uint256 cut) {
        address connector = referrerOf[referred];
        if (connector == address(0) || bps == 0) return 0;
        cut = price * bps / BPS;
        earnings[connector] += cut;
        emit ConnectorPaid(offerId, connector, referred, cut);
    }

    /// Return every stake of the offer's bids still active (the loop is bounded by MAX_BIDS).
    function _releaseStakes(uint256 offerId) internal {
        Bid[] storage list = _bids[offerId];
        for (uint256 i = 0; i < list.length; ++i) {
            Bid storage b = list[i];
            if (!b.active) continue;
            b.active = false;
            _activeBidPlusOne[offerId][b.bidder] = 0;
            emit StakeReleased(offerId, i, b.bidder, b.stake);
            if (b.stake > 0) token.safeTransfer(b.bidder, b.stake);
        }
    }

    function _checkGate(Gate storage g, address bidder, uint256 tokenId) internal view {
        if (g.issuer != address(0) && !_credentialMeets(g, bidder, tokenId)) {
            revert CredentialRequired(g.issuer, g.credentialType);
        }
        if (g.minStake > 0) {
            uint256 staked = staking.stakeOf(bidder);
            if (staked < g.minStake) revert StakeTooLow(staked, g.minStake);
        }
    }

    function _credentialMeets(Gate storage g, address account, uint256 tokenId) internal view returns (bool) {
        if (tokenId == 0 || tokenId > soulbound.totalIssued()) return false;
        (address holder, SoulboundCredential.Credential memory c) = soulbound.credential(tokenId);
        return holder == account && c.issuer == g.issuer && !c.revoked
            && (g.credentialType == bytes32(0) || credentialTypeOf[tokenId] == g.credentialType);
    }
}
