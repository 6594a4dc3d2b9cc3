package babble.posts.domain;

import babble.contracts.api.CreatePostRequest;
import babble.contracts.api.Tags;
import babble.platform.problem.InvalidField;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** A post as asked for, checked and normalized (title trimmed, tags lower-cased without duplicates). */
public record NewPost(String title, String body, String url, List<String> tags) {
    static final int MAX_TITLE = 300;
    static final int MAX_BODY = 40_000;
    static final int MAX_URL = 2_000;
    static final int MAX_TAGS = 5;

    public static NewPost from(CreatePostRequest request) {
        if (request == null) {
            throw new InvalidField("title", "is required");
        }
        String title = Texts.required("title", request.title(), MAX_TITLE).strip();
        String body = request.body() == null || request.body().isBlank() ? null : request.body();
        if (body != null && Texts.length(body) > MAX_BODY) {
            throw new InvalidField("body", "must be at most " + MAX_BODY + " characters");
        }
        return new NewPost(title, body, url(request.url()), tags(request.tags()));
    }

    private static String url(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String url = raw.strip();
        if (url.length() > MAX_URL) {
            throw new InvalidField("url", "must be at most " + MAX_URL + " characters");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new InvalidField("url", "must be an absolute http or https URL");
            }
        } catch (URISyntaxException e) {
            throw new InvalidField("url", "must be an absolute http or https URL");
        }
        return url;
    }

    private static List<String> tags(List<String> raw) {
        if (raw == null) {
            return List.of();
        }
        var tags = new LinkedHashSet<String>();
        for (String tag : raw) {
            tags.add(Tags.normalised(tag).orElseThrow(() -> new InvalidField("tags", "each tag is " + Tags.RULE)));
        }
        if (tags.size() > MAX_TAGS) {
            throw new InvalidField("tags", "at most " + MAX_TAGS + " tags");
        }
        return List.copyOf(new ArrayList<>(tags));
    }
}
