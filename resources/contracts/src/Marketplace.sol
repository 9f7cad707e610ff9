// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title Gigs and mentoring paid in BTK through escrow
/// @notice A client posts an offer (a gig or a mentoring session) with a price in BTK and,
/// optionally, a connector who introduced the parties and the connector's cut. Talent
/// accepts it, which fixes the marketplace fee at the rate then in force. The client funds
/// the escrow (approve + `fund`, or `fundWithPermit` in one transaction) and later
/// releases it: the treasury gets the fee, the connector the referral cut, the talent the
/// rest. Before release the talent can refund the client at any time, and the client can
/// take a refund once the delivery window (counted from funding) has passed; an unfunded
/// offer can be cancelled by its client.
/// @dev The fee rate is set by governance (the owner, the timelock, which is also the
/// treasury) up to MAX_FEE_BPS. Every function that moves tokens is `nonReentrant` and
/// changes state before transferring.
contract Marketplace is Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 private constant BPS = 10_000;
    uint16 public constant MAX_FEE_BPS = 1_000;
    uint16 public constant MAX_REFERRAL_BPS = 2_500;
    uint64 public constant MAX_DELIVERY_WINDOW = 365 days;

    enum OfferKind {
        Gig,
        Mentoring
    }

    enum Status {
        Open,
        Accepted,
        Funded,
        Released,
        Refunded,
        Cancelled
    }

    struct Gig {
        address client;
        OfferKind kind;
        Status status;
        uint16 feeBps; // fixed when talent accepts
        uint16 referralBps;
        address talent;
        uint64 deliveryWindow; // seconds from funding until the client may take a refund
        address connector;
        uint64 refundableAt; // set when funded
        uint256 price;
        string details; // a title, a description or a URI of the terms
    }

    IERC20 public immutable token;
    /// The marketplace fee, in basis points of the price, for offers accepted from now on.
    uint16 public feeBps;

    Gig[] private _gigs;

    event GigPosted(
        uint256 indexed gigId,
        address indexed client,
        OfferKind kind,
        uint256 price,
        address indexed connector,
        uint16 referralBps
    );
    event GigAccepted(uint256 indexed gigId, address indexed talent, uint16 feeBps);
    event GigFunded(uint256 indexed gigId, address indexed client, uint256 amount, uint64 refundableAt);
    event GigReleased(
        uint256 indexed gigId,
        address indexed talent,
        uint256 talentAmount,
        uint256 fee,
        address connector,
        uint256 referralAmount
    );
    event GigRefunded(uint256 indexed gigId, address indexed client, uint256 amount, address by);
    event GigCancelled(uint256 indexed gigId);
    event FeeBpsChanged(uint16 oldBps, uint16 newBps);

    error ZeroAddress();
    error ZeroPrice();
    error FeeTooHigh(uint256 bps, uint256 maxBps);
    error ReferralTooHigh(uint256 bps, uint256 maxBps);
    error ReferralWithoutConnector();
    error ConnectorIsClient();
    error DeliveryWindowTooLong(uint256 secondsGiven, uint256 maxSeconds);
    error GigNotFound(uint256 gigId);
    error NotClient(uint256 gigId);
    error NotGigParty(uint256 gigId);
    error ClientCannotAccept(uint256 gigId);
    error GigNotOpen(uint256 gigId);
    error GigNotAccepted(uint256 gigId);
    error GigNotFunded(uint256 gigId);
    error GigNotCancellable(uint256 gigId);
    error RefundNotYetAllowed(uint256 gigId, uint256 refundableAt);
    /// The owner is the treasury that receives fees; it cannot be renounced.
    error OwnershipCannotBeRenounced();

    constructor(IERC20 token_, address governance, uint16 feeBps_) Ownable(governance) {
        if (address(token_) == address(0)) revert ZeroAddress();
        if (feeBps_ > MAX_FEE_BPS) revert FeeTooHigh(feeBps_, MAX_FEE_BPS);
        token = token_;
        feeBps = feeBps_;
        emit FeeBpsChanged(0, feeBps_);
    }

    // ---------------------------------------------------------------- clients

    function post(
        OfferKind kind,
        uint256 price,
        address connector,
        uint16 referralBps,
        uint64 deliveryWindow,
        string calldata details
    ) external returns (uint256 gigId) {
        if (price == 0) revert ZeroPrice();
        if (referralBps > MAX_REFERRAL_BPS) revert ReferralTooHigh(referralBps, MAX_REFERRAL_BPS);
        if (referralBps > 0 && connector == address(0)) revert ReferralWithoutConnector();
        if (connector == msg.sender) revert ConnectorIsClient();
        if (deliveryWindow > MAX_DELIVERY_WINDOW) revert DeliveryWindowTooLong(deliveryWindow, MAX_DELIVERY_WINDOW);
        gigId = _gigs.length;
        Gig storage g = _gigs.push();
        g.client = msg.sender;
        g.kind = kind;
        g.referralBps = referralBps;
        g.deliveryWindow = deliveryWindow;
        g.connector = connector;
        g.price = price;
        g.details = details;
        emit GigPosted(gigId, msg.sender, kind, price, connector, referralBps);
    }

    /// Take an open offer; the current marketplace fee applies to it from now on.
    function accept(uint256 gigId) external {
        Gig storage g = _gig(gigId);
        if (g.status != Status.Open) revert GigNotOpen(gigId);
        if (msg.sender == g.client) revert ClientCannotAccept(gigId);
        g.status = Status.Accepted;
        g.talent = msg.sender;
        g.feeBps = feeBps;
        emit GigAccepted(gigId, msg.sender, g.feeBps);
    }

    /// Pay the price into escrow; the client approved the marketplace beforehand.
    function fund(uint256 gigId) external nonReentrant {
        _fund(gigId);
    }

    /// Pay the price into escrow with an EIP-2612 permit for exactly the price instead of
    /// a prior approval. A permit that fails (for example one already used by a
    /// front-runner) is ignored, and the allowance decides.
    function fundWithPermit(uint256 gigId, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external nonReentrant {
        Gig storage g = _gig(gigId);
        try IERC20Permit(address(token)).permit(msg.sender, address(this), g.price, deadline, v, r, s) {} catch {}
        _fund(gigId);
    }

    /// Pay the talent from escrow, less the fee (to the treasury) and the referral cut.
    function release(uint256 gigId) external nonReentrant {
        Gig storage g = _gig(gigId);
        if (msg.sender != g.client) revert NotClient(gigId);
        if (g.status != Status.Funded) revert GigNotFunded(gigId);
        g.status = Status.Released;
        uint256 fee = g.price * g.feeBps / BPS;
        uint256 referral = g.price * g.referralBps / BPS;
        uint256 toTalent = g.price - fee - referral;
        if (fee > 0) token.safeTransfer(owner(), fee);
        if (referral > 0) token.safeTransfer(g.connector, referral);
        token.safeTransfer(g.talent, toTalent);
        emit GigReleased(gigId, g.talent, toTalent, fee, g.connector, referral);
    }

    /// Return the escrow to the client: the talent may at any time, the client once the
    /// delivery window has passed.
    function refund(uint256 gigId) external nonReentrant {
        Gig storage g = _gig(gigId);
        if (msg.sender != g.client && msg.sender != g.talent) revert NotGigParty(gigId);
        if (g.status != Status.Funded) revert GigNotFunded(gigId);
        if (msg.sender != g.talent && block.timestamp < g.refundableAt) {
            revert RefundNotYetAllowed(gigId, g.refundableAt);
        }
        g.status = Status.Refunded;
        token.safeTransfer(g.client, g.price);
        emit GigRefunded(gigId, g.client, g.price, msg.sender);
    }

    /// Withdraw an offer that is not funded yet.
    function cancel(uint256 gigId) external {
        Gig storage g = _gig(gigId);
        if (msg.sender != g.client) revert NotClient(gigId);
        if (g.status != Status.Open && g.status != Status.Accepted) revert GigNotCancellable(gigId);
        g.status = Status.Cancelled;
        emit GigCancelled(gigId);
    }

    // ------------------------------------------------------------- governance

    function setFeeBps(uint16 newBps) external onlyOwner {
        if (newBps > MAX_FEE_BPS) revert FeeTooHigh(newBps, MAX_FEE_BPS);
        emit FeeBpsChanged(feeBps, newBps);
        feeBps = newBps;
    }

    function renounceOwnership() public view override onlyOwner {
        revert OwnershipCannotBeRenounced();
    }

    // ------------------------------------------------------------------ views

    /// Where fees go: the owner (the timelock).
    function treasury() external view returns (address) {
        return owner();
    }

    function gigCount() external view returns (uint256) {
        return _gigs.length;
    }

    function gigs(uint256 gigId) external view returns (Gig memory) {
        return _gig(gigId);
    }

    // --------------------------------------------------------------- internal

    function _gig(uint256 gigId) internal view returns (Gig storage) {
        if (gigId >= _gigs.length) revert GigNotFound(gigId);
        return _gigs[gigId];
    }

    function _fund(uint256 gigId) internal {
        Gig storage g = _gig(gigId);
        if (msg.sender != g.client) revert NotClient(gigId);
        if (g.status != Status.Accepted) revert GigNotAccepted(gigId);
        g.status = Status.Funded;
        uint64 refundableAt = uint64(block.timestamp) + g.deliveryWindow;
        g.refundableAt = refundableAt;
        token.safeTransferFrom(msg.sender, address(this), g.price);
        emit GigFunded(gigId, msg.sender, g.price, refundableAt);
    }
}
