// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title CheckpointAnchor
/// @notice Anchors the signed checkpoints of one AssetLedger Merkle log. Only hashes go on chain: the tree
/// size, its root, the previous anchored root and the ledger's signature over the checkpoint. No asset data,
/// participant identity or amount is ever sent here.
/// @dev One contract per ledger. Only the account that deployed it (the ledger's anchoring key) may anchor;
/// anyone may read. Sizes strictly grow and each anchor names the root before it, so the contract holds one
/// unbroken, append-only chain of checkpoints: a fork or a rewrite of the ledger cannot be anchored here.
contract CheckpointAnchor {
    struct Entry {
        bytes32 root;
        uint64 blockNumber;
    }

    /// @notice The only account allowed to anchor.
    address public immutable owner;
    /// @notice Size of the last anchored checkpoint (0 before the first).
    uint64 public latestSize;
    /// @notice How many checkpoints are anchored.
    uint64 public count;
    /// @notice Root of the last anchored checkpoint (zero before the first).
    bytes32 public latestRoot;

    mapping(uint64 => Entry) private entries;

    /// @notice A checkpoint was anchored. The signature is the ledger's signed-note signature over the
    /// checkpoint text (its key hash and Ed25519 signature); it is logged, not stored.
    event Anchored(uint64 indexed size, bytes32 root, bytes32 prev, bytes sig);

    error NotOwner(address caller);
    error SizeDoesNotGrow(uint64 size, uint64 latestSize);
    error WrongPrevious(bytes32 prev, bytes32 latestRoot);
    error EmptyRoot();

    constructor() {
        owner = msg.sender;
    }

    /// @notice Anchors the checkpoint of `size` leaves with Merkle root `root`; `prev` must be the last root
    /// anchored here (zero for the first) and `size` larger than the last size.
    function anchor(uint64 size, bytes32 root, bytes32 prev, bytes calldata sig) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (size <= latestSize) revert SizeDoesNotGrow(size, latestSize);
        if (prev != latestRoot) revert WrongPrevious(prev, latestRoot);
        if (root == bytes32(0)) revert EmptyRoot();
        entries[size] = Entry(root, uint64(block.number));
        latestSize = size;
        latestRoot = root;
        count += 1;
        emit Anchored(size, root, prev, sig);
    }

    /// @notice The root anchored for `size`, zero if none.
    function rootOf(uint64 size) external view returns (bytes32) {
        return entries[size].root;
    }

    /// @notice The root anchored for `size` and the block that holds its Anchored event (0, 0 if none).
    function entryOf(uint64 size) external view returns (bytes32 root, uint64 blockNumber) {
        Entry storage e = entries[size];
        return (e.root, e.blockNumber);
    }

    /// @notice The last anchored size and root (0, 0 before the first).
    function latest() external view returns (uint64 size, bytes32 root) {
        return (latestSize, latestRoot);
    }
}
