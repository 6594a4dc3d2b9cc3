package babble.quotes.store;

import babble.quotes.domain.AuthorFilter;
import babble.quotes.domain.Quote;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/** SQL for quotes. The author filter is one {@code like} per word, each word bound as a parameter. */
public final class QuoteStore {
    private static final RowMapper<Quote> QUOTE = (rs, ctx) ->
            new Quote(Integer.toString(rs.getInt("id")), rs.getString("text"), rs.getString("author"));

    public int count(Handle h, AuthorFilter filter) {
        return bind(h.createQuery("select count(*) from quotes where " + where(filter)), filter)
                .mapTo(Integer.class).one();
    }

    /** The quote at {@code offset} (0-based) among those matching, in id order. */
    public Quote at(Handle h, AuthorFilter filter, int offset) {
        return bind(h.createQuery("select id, text, author from quotes where " + where(filter)
                + " order by id limit 1 offset :offset"), filter).bind("offset", offset).map(QUOTE).one();
    }

    public List<Quote> page(Handle h, AuthorFilter filter, int afterId, int limit) {
        return bind(h.createQuery("select id, text, author from quotes where id > :after and " + where(filter)
                + " order by id limit :limit"), filter).bind("after", afterId).bind("limit", limit).map(QUOTE).list();
    }

    private static String where(AuthorFilter filter) {
        if (filter.isEmpty()) {
            return "1 = 1";
        }
        var clauses = new StringBuilder();
        for (int i = 0; i < filter.words().size(); i++) {
            clauses.append(i == 0 ? "" : " and ").append("lower(author) like :w").append(i).append(" escape '!'");
        }
        return clauses.toString();
    }

    private static <S extends SqlStatement<S>> S bind(S statement, AuthorFilter filter) {
        for (int i = 0; i < filter.words().size(); i++) {
            String word = filter.words().get(i).replace("!", "!!").replace("%", "!%").replace("_", "!_");
            statement.bind("w" + i, "%" + word + "%");
        }
        return statement;
    }
}
