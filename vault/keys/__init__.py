"""Recovery phrase (BIP-39) and every key derived from it (BIP-44 / SLIP-10)."""
