package babble.contracts.events;

import babble.contracts.api.UserView;

/** A new account exists. Key: the user id. */
public record UserRegistered(UserView user) {
    public static final String TYPE = "user.registered";
}
