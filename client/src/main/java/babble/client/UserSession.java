package babble.client;

import babble.contracts.api.CommentView;
import babble.contracts.api.CreateCommentRequest;
import babble.contracts.api.CreatePostRequest;
import babble.contracts.api.CreateRoomRequest;
import babble.contracts.api.EditMessageRequest;
import babble.contracts.api.MarkReadRequest;
import babble.contracts.api.MemberPage;
import babble.contracts.api.MessageList;
import babble.contracts.api.MessageView;
import babble.contracts.api.MyRoomList;
import babble.contracts.api.PostList;
import babble.contracts.api.PostMessageRequest;
import babble.contracts.api.PostView;
import babble.contracts.api.RoomPage;
import babble.contracts.api.RoomView;
import babble.contracts.api.UserView;
import babble.contracts.api.VoteRequest;
import babble.contracts.api.VoteResult;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Typed calls of the public API as one signed-in user. Each throws {@link ApiException} on an error answer. */
public final class UserSession {
    private final BabbleClient client;
    private final String token;
    private final UserView user;

    public UserSession(BabbleClient client, String token, UserView user) {
        this.client = client;
        this.token = token;
        this.user = user;
    }

    public String token() {
        return token;
    }

    public UserView user() {
        return user;
    }

    public UUID id() {
        return user.id();
    }

    public BabbleClient client() {
        return client;
    }

    /** A raw call with this user's token. */
    public ApiResponse call(String method, String path, Object body) {
        return client.call(method, path, body, token);
    }

    public ApiResponse call(String method, String path, Object body, Map<String, String> headers) {
        return client.call(method, path, body, token, headers);
    }

    public UserView me() {
        return call("GET", "/api/v1/users/me", null).orThrow().as(UserView.class);
    }

    public void logout() {
        call("DELETE", "/api/v1/sessions/current", null).orThrow();
    }

    public RoomView createRoom(String name) {
        return createRoom(name, null);
    }

    public RoomView createRoom(String name, String topic) {
        return call("POST", "/api/v1/rooms", new CreateRoomRequest(name, topic, null)).orThrow().as(RoomView.class);
    }

    /** A private room: not listed; members, and those they invite, only. */
    public RoomView createPrivateRoom(String name) {
        return call("POST", "/api/v1/rooms", new CreateRoomRequest(name, null, RoomView.PRIVATE)).orThrow().as(RoomView.class);
    }

    /** Invites a user into a room the caller is a member of. */
    public void invite(UUID roomId, UUID userId) {
        call("POST", "/api/v1/rooms/" + roomId + "/invites", new babble.contracts.api.UserIdRequest(userId)).orThrow();
    }

    /** The direct room of the caller and {@code userId} (created the first time). */
    public RoomView directRoom(UUID userId) {
        return call("POST", "/api/v1/dms", new babble.contracts.api.UserIdRequest(userId)).orThrow().as(RoomView.class);
    }

    public RoomPage rooms(int limit, String cursor) {
        String query = "?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
        return call("GET", "/api/v1/rooms" + query, null).orThrow().as(RoomPage.class);
    }

    public RoomView room(UUID id) {
        return call("GET", "/api/v1/rooms/" + id, null).orThrow().as(RoomView.class);
    }

    public RoomView join(UUID roomId) {
        return call("PUT", "/api/v1/rooms/" + roomId + "/members/me", null).orThrow().as(RoomView.class);
    }

    public void leave(UUID roomId) {
        call("DELETE", "/api/v1/rooms/" + roomId + "/members/me", null).orThrow();
    }

    public MemberPage members(UUID roomId) {
        return call("GET", "/api/v1/rooms/" + roomId + "/members", null).orThrow().as(MemberPage.class);
    }

    public MyRoomList myRooms() {
        return call("GET", "/api/v1/users/me/rooms", null).orThrow().as(MyRoomList.class);
    }

    public MessageView post(UUID roomId, String text) {
        return call("POST", "/api/v1/rooms/" + roomId + "/messages", new PostMessageRequest(text)).orThrow()
                .as(MessageView.class);
    }

    public MessageView post(UUID roomId, String text, String idempotencyKey) {
        return call("POST", "/api/v1/rooms/" + roomId + "/messages", new PostMessageRequest(text),
                Map.of("Idempotency-Key", idempotencyKey)).orThrow().as(MessageView.class);
    }

    /** Edits one of the caller's messages; answers it as edited. */
    public MessageView edit(UUID roomId, long seq, String text) {
        return call("PATCH", "/api/v1/rooms/" + roomId + "/messages/" + seq, new EditMessageRequest(text)).orThrow()
                .as(MessageView.class);
    }

    /** Deletes a message (the caller's, or any in a room the caller owns); its seq stays as a tombstone. */
    public void deleteMessage(UUID roomId, long seq) {
        call("DELETE", "/api/v1/rooms/" + roomId + "/messages/" + seq, null).orThrow();
    }

    public List<MessageView> latest(UUID roomId, int limit) {
        return messages(roomId, "?limit=" + limit);
    }

    public List<MessageView> after(UUID roomId, long seq, int limit) {
        return messages(roomId, "?after=" + seq + "&limit=" + limit);
    }

    public List<MessageView> before(UUID roomId, long seq, int limit) {
        return messages(roomId, "?before=" + seq + "&limit=" + limit);
    }

    public void markRead(UUID roomId, long seq) {
        call("PUT", "/api/v1/rooms/" + roomId + "/read", new MarkReadRequest(seq)).orThrow();
    }

    public PostView createPost(UUID roomId, String title, String body) {
        return call("POST", "/api/v1/rooms/" + roomId + "/posts", new CreatePostRequest(title, body, null, null)).orThrow()
                .as(PostView.class);
    }

    public CommentView comment(UUID postId, String text, UUID parentId) {
        return call("POST", "/api/v1/posts/" + postId + "/comments",
                new CreateCommentRequest(text, parentId == null ? null : parentId.toString())).orThrow().as(CommentView.class);
    }

    public VoteResult vote(UUID postId, int value) {
        return call("PUT", "/api/v1/posts/" + postId + "/vote", new VoteRequest(value)).orThrow().as(VoteResult.class);
    }

    /** One page of a room's posts in {@code sort} order (hot, new, top). */
    public PostList posts(UUID roomId, String sort, int limit, String cursor) {
        return call("GET", "/api/v1/rooms/" + roomId + "/posts?sort=" + sort + "&limit=" + limit
                + (cursor == null ? "" : "&cursor=" + cursor), null).orThrow().as(PostList.class);
    }

    private List<MessageView> messages(UUID roomId, String query) {
        return call("GET", "/api/v1/rooms/" + roomId + "/messages" + query, null).orThrow().as(MessageList.class).messages();
    }
}
