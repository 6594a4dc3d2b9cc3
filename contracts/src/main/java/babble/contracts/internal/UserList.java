package babble.contracts.internal;

import babble.contracts.api.UserView;
import java.util.List;

/** users → any service, {@code GET /internal/users?ids=a,b}: those of the ids that are users. */
public record UserList(List<UserView> users) {
}
