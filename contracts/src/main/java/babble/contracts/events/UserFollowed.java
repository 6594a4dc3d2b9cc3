package babble.contracts.events;

import babble.contracts.api.UserView;

/** {@code follower} now follows {@code followee}. Key: the followee's id (their live sockets are told). */
public record UserFollowed(UserView follower, UserView followee) {
    public static final String TYPE = "user.followed";
}
