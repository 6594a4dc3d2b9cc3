package babble.contracts.api;

/** The post's score after a vote, and the caller's vote. */
public record VoteResult(long score, int myVote) {
}
