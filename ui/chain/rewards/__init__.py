"""The Rewards page (learn-to-earn: what your anchored credentials earn, bounties, claimed
history, open schedules) and the Reputation page (your bond and your trust score)."""
