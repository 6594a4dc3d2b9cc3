package babble.search.store;

import babble.contracts.api.UserView;
import babble.platform.json.Json;
import babble.search.domain.ItemState;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene document of an item: always its id, kind, visibility, post (for a comment) and state; when it is
 * shown, also what searches match, filter and sort on. A hidden item keeps only what its later events need.
 */
public final class ItemDocuments {
    public static final String ID = "id";
    public static final String KIND = "kind";
    public static final String VISIBLE = "visible";
    public static final String ROOM = "room";
    public static final String POST = "post";
    public static final String TAG = "tag";
    public static final String AUTHOR = "author";
    public static final String TITLE = "title";
    public static final String TEXT = "text";
    public static final String CREATED = "created";
    public static final String VOTES = "votes";
    public static final String STATE = "state";
    public static final String SHOWN = "1";
    private static final Set<String> STATE_ONLY = Set.of(STATE);

    /** English text, stored, with offsets in the postings so highlighting need not analyse it again. */
    private static final FieldType SEARCHABLE_TEXT = new FieldType();

    static {
        SEARCHABLE_TEXT.setTokenized(true);
        SEARCHABLE_TEXT.setStored(true);
        SEARCHABLE_TEXT.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
        SEARCHABLE_TEXT.freeze();
    }

    private ItemDocuments() {
    }

    public static Document of(ItemState item) {
        var doc = new Document();
        String id = item.id().toString();
        doc.add(new StringField(ID, id, Field.Store.NO));
        doc.add(new SortedDocValuesField(ID, new BytesRef(id)));
        doc.add(new StringField(KIND, item.kind(), Field.Store.NO));
        doc.add(new StringField(VISIBLE, item.visible() ? SHOWN : "0", Field.Store.NO));
        if (item.postId() != null) {
            doc.add(new StringField(POST, item.postId().toString(), Field.Store.NO));
        }
        doc.add(new StoredField(STATE, Json.bytes(item)));
        if (item.visible()) {
            addSearchable(doc, item);
        }
        return doc;
    }

    /** The state kept in a document. */
    public static ItemState state(StoredFields stored, int doc) throws IOException {
        BytesRef json = stored.document(doc, STATE_ONLY).getBinaryValue(STATE);
        return Json.mapper().readValue(json.bytes, json.offset, json.length, ItemState.class);
    }

    /** What a shown item's {@link #TITLE} field holds: a post's title; null for comments and messages. */
    public static String title(ItemState item) {
        return item.post() != null ? item.post().title() : null;
    }

    /** What a shown item's {@link #TEXT} field holds: the body or text; null when there is none. */
    public static String text(ItemState item) {
        String text;
        if (item.post() != null) {
            text = item.post().body();
        } else if (item.comment() != null) {
            text = item.comment().text();
        } else {
            text = item.message().text();
        }
        return text == null || text.isEmpty() ? null : text;
    }

    /** The names an author is found by ({@code author:name}): username and display name, lowercased. */
    public static Set<String> authorNames(UserView author) {
        var names = new LinkedHashSet<String>();
        for (String name : new String[] {author.username(), author.displayName()}) {
            if (name == null || name.isBlank()) {
                continue;
            }
            String lower = normalize(name);
            names.add(lower);
            // An imported post shows its reddit author as "u/name": "author:name" finds it too.
            if (lower.startsWith("u/") && lower.length() > 2) {
                names.add(lower.substring(2));
            }
        }
        return names;
    }

    /** How tags and author names are matched: trimmed, lowercased, any leading "@" dropped. */
    public static String normalize(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("@") ? lower.substring(1) : lower;
    }

    private static void addSearchable(Document doc, ItemState item) {
        doc.add(new StringField(ROOM, item.roomId().toString(), Field.Store.NO));
        UserView author;
        Instant createdAt;
        if (item.post() != null) {
            var post = item.post();
            author = post.author();
            createdAt = post.createdAt();
            doc.add(new Field(TITLE, title(item), SEARCHABLE_TEXT));
            for (String tag : post.tags() == null ? List.<String>of() : post.tags()) {
                doc.add(new StringField(TAG, normalize(tag), Field.Store.NO));
            }
        } else if (item.comment() != null) {
            author = item.comment().author();
            createdAt = item.comment().createdAt();
        } else {
            var message = item.message();
            author = new UserView(message.userId(), message.username(), message.username());
            createdAt = message.createdAt();
        }
        String text = text(item);
        if (text != null) {
            doc.add(new Field(TEXT, text, SEARCHABLE_TEXT));
        }
        if (author != null) {
            authorNames(author).forEach(name -> doc.add(new StringField(AUTHOR, name, Field.Store.NO)));
        }
        doc.add(new NumericDocValuesField(CREATED, createdAt.toEpochMilli()));
        doc.add(new NumericDocValuesField(VOTES, item.isPost() ? item.votes() : 0));
    }
}
