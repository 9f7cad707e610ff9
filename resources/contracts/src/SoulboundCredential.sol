// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC5192} from "./IERC5192.sol";

/// @title On-chain anchors of verifiable credentials, as soulbound tokens
/// @notice An issuer anchors a credential it issued off-chain by minting a token to the
/// holder's account with the credential's hash and a URI; the token can never move
/// (ERC-5192, always locked: transfers and approvals revert with `Soulbound()`). A
/// verifier looks the hash up with `tokenOfCredential` / `isValid` to learn whether it is
/// anchored, to whom, and whether it has been revoked. Revoking marks the token revoked
/// and keeps it, so the record of what was issued and revoked stays readable.
/// @dev Roles: DEFAULT_ADMIN_ROLE (governance, the timelock) grants and revokes
/// ISSUER_ROLE, sets the issuance fee and the treasury, and may revoke any credential; an
/// issuer may revoke the credentials it issued while it holds ISSUER_ROLE. Issuing
/// charges the issuer `issuanceFee` BTK (approved beforehand), paid to the treasury.
/// Tokens are minted with `_mint`, not `_safeMint`: a token that can never move needs no
/// receiver check, and minting makes no external call.
contract SoulboundCredential is ERC721, AccessControl, IERC5192 {
    using SafeERC20 for IERC20;

    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");

    struct Credential {
        bytes32 credentialHash;
        address issuer;
        uint64 issuedAt; // block timestamp
        bool revoked;
        uint64 revokedAt; // block timestamp, 0 while valid
        string uri;
    }

    IERC20 public immutable token;
    /// BTK wei charged to the issuer per credential issued (may be 0).
    uint256 public issuanceFee;
    address public treasury;
    /// Tokens issued so far; token ids run from 1 to totalIssued (0 means "none").
    uint256 public totalIssued;

    mapping(uint256 tokenId => Credential) private _credentials;
    mapping(bytes32 credentialHash => uint256) private _tokenOfCredential;
    mapping(address holder => uint256[]) private _tokensOf;

    event CredentialIssued(
        uint256 indexed tokenId,
        address indexed holder,
        address indexed issuer,
        bytes32 credentialHash,
        string uri,
        uint256 fee
    );
    event CredentialRevoked(uint256 indexed tokenId, bytes32 indexed credentialHash, address indexed revokedBy);
    event IssuanceFeeChanged(uint256 oldFee, uint256 newFee);
    event TreasuryChanged(address oldTreasury, address newTreasury);

    /// Soulbound tokens cannot be transferred or approved.
    error Soulbound();
    error ZeroAddress();
    error EmptyCredentialHash();
    error CredentialAlreadyAnchored(bytes32 credentialHash, uint256 tokenId);
    error NotCredentialIssuer(uint256 tokenId, address account);
    error AlreadyRevoked(uint256 tokenId);

    constructor(IERC20 token_, address governance, uint256 issuanceFee_, address[] memory issuers)
        ERC721("Blocktrack Credential", "BTKC")
    {
        if (address(token_) == address(0) || governance == address(0)) revert ZeroAddress();
        token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
        for (uint256 i = 0; i < issuers.length; ++i) {
            if (issuers[i] == address(0)) revert ZeroAddress();
            _grantRole(ISSUER_ROLE, issuers[i]);
        }
        treasury = governance;
        issuanceFee = issuanceFee_;
        emit TreasuryChanged(address(0), governance);
        emit IssuanceFeeChanged(0, issuanceFee_);
    }

    // ---------------------------------------------------------------- issuers

    /// Anchor a credential: mint a locked token to `holder`, charging the issuance fee.
    function issue(address holder, bytes32 credentialHash, string calldata uri)
        external
        onlyRole(ISSUER_ROLE)
        returns (uint256 tokenId)
    {
        if (credentialHash == bytes32(0)) revert EmptyCredentialHash();
        uint256 existing = _tokenOfCredential[credentialHash];
        if (existing != 0) revert CredentialAlreadyAnchored(credentialHash, existing);
        tokenId = ++totalIssued;
        _tokenOfCredential[credentialHash] = tokenId;
        Credential storage c = _credentials[tokenId];
        c.credentialHash = credentialHash;
        c.issuer = msg.sender;
        c.issuedAt = uint64(block.timestamp);
        c.uri = uri;
        _tokensOf[holder].push(tokenId);
        _mint(holder, tokenId); // reverts ERC721InvalidReceiver for the zero address
        emit Locked(tokenId);
        uint256 fee = issuanceFee;
        if (fee > 0) token.safeTransferFrom(msg.sender, treasury, fee);
        emit CredentialIssued(tokenId, holder, msg.sender, credentialHash, uri, fee);
    }

    /// Mark a credential revoked: by its issuer (while an issuer) or by governance.
    function revoke(uint256 tokenId) external {
        _requireOwned(tokenId);
        Credential storage c = _credentials[tokenId];
        bool byIssuer = msg.sender == c.issuer && hasRole(ISSUER_ROLE, msg.sender);
        if (!byIssuer && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) revert NotCredentialIssuer(tokenId, msg.sender);
        if (c.revoked) revert AlreadyRevoked(tokenId);
        c.revoked = true;
        c.revokedAt = uint64(block.timestamp);
        emit CredentialRevoked(tokenId, c.credentialHash, msg.sender);
    }

    // ------------------------------------------------------------- governance

    function setIssuanceFee(uint256 newFee) external onlyRole(DEFAULT_ADMIN_ROLE) {
        emit IssuanceFeeChanged(issuanceFee, newFee);
        issuanceFee = newFee;
    }

    function setTreasury(address newTreasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newTreasury == address(0)) revert ZeroAddress();
        emit TreasuryChanged(treasury, newTreasury);
        treasury = newTreasury;
    }

    // ------------------------------------------------------------------ views

    /// ERC-5192: every existing token is locked, always.
    function locked(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        return true;
    }

    /// The token anchoring a credential hash; (0, address(0), false) if it is not anchored.
    function tokenOfCredential(bytes32 credentialHash)
        external
        view
        returns (uint256 tokenId, address holder, bool revoked)
    {
        tokenId = _tokenOfCredential[credentialHash];
        if (tokenId == 0) return (0, address(0), false);
        return (tokenId, _ownerOf(tokenId), _credentials[tokenId].revoked);
    }

    /// True if the credential hash is anchored and not revoked.
    function isValid(bytes32 credentialHash) external view returns (bool) {
        uint256 tokenId = _tokenOfCredential[credentialHash];
        return tokenId != 0 && !_credentials[tokenId].revoked;
    }

    function credential(uint256 tokenId) external view returns (address holder, Credential memory record) {
        holder = _requireOwned(tokenId);
        record = _credentials[tokenId];
    }

    /// Every token ever issued to `holder`, revoked ones included, oldest first.
    function tokensOf(address holder) external view returns (uint256[] memory) {
        return _tokensOf[holder];
    }

    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return _credentials[tokenId].uri;
    }

    function supportsInterface(bytes4 interfaceId) public view override(ERC721, AccessControl) returns (bool) {
        return interfaceId == type(IERC5192).interfaceId || super.supportsInterface(interfaceId);
    }

    // ------------------------------------------------------------- soulbound

    function approve(address, uint256) public pure override {
        revert Soulbound();
    }

    function setApprovalForAll(address, bool) public pure override {
        revert Soulbound();
    }

    /// Minting is the only movement a token ever makes.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        if (_ownerOf(tokenId) != address(0)) revert Soulbound();
        return super._update(to, tokenId, auth);
    }
}
