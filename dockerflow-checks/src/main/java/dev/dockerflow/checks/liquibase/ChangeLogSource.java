package dev.dockerflow.checks.liquibase;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.filter.ChangeSetFilter;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.parser.ChangeLogParser;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ResourceAccessor;

/**
 * The changelog and the changesets {@code update} would run from it on one kind of database,
 * parsed once and kept.
 *
 * <p>Liquibase's {@code Database} is only used to know the database's kind for {@code dbms}
 * attributes and changelog parameters: it is never given the connection, because attaching a
 * connection changes its auto-commit mode.
 */
final class ChangeLogSource {

    private record Parsed(String productName, List<ExpectedChangeSet> changeSets) {
    }

    private final String file;
    private final ResourceAccessor resourceAccessor;
    private final String contexts;
    private final String labels;
    private final AtomicReference<Parsed> parsed = new AtomicReference<>();

    ChangeLogSource(String file, ResourceAccessor resourceAccessor, String contexts, String labels) {
        this.file = file;
        this.resourceAccessor = resourceAccessor;
        this.contexts = contexts;
        this.labels = labels;
    }

    String file() {
        return file;
    }

    /** Whether the changelog has been parsed, so that a run costs a query and no more. */
    boolean isParsed() {
        return parsed.get() != null;
    }

    ChangeLogSource withContexts(String contexts) {
        return new ChangeLogSource(file, resourceAccessor, contexts, labels);
    }

    ChangeLogSource withLabels(String labels) {
        return new ChangeLogSource(file, resourceAccessor, contexts, labels);
    }

    /**
     * The changesets {@code update} would consider on the database behind {@code connection},
     * in changelog order.
     */
    List<ExpectedChangeSet> changeSets(Connection connection) throws Exception {
        String productName = connection.getMetaData().getDatabaseProductName();
        Parsed known = parsed.get();
        if (known != null && known.productName().equals(productName)) {
            return known.changeSets();
        }
        List<ExpectedChangeSet> changeSets = parse(databaseKind(connection));
        parsed.set(new Parsed(productName, changeSets));
        return changeSets;
    }

    private static Database databaseKind(Connection connection) throws SQLException {
        JdbcConnection jdbc = new JdbcConnection(connection);
        // What DatabaseFactory.findCorrectDatabaseImplementation chooses, without its setConnection.
        Database chosen = null;
        for (Database database : DatabaseFactory.getInstance().getImplementedDatabases()) {
            boolean matches;
            try {
                matches = database.isCorrectDatabaseImplementation(jdbc);
            } catch (DatabaseException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw new SQLException("Liquibase could not tell the kind of database: " + e.getMessage(), e);
            }
            if (matches && (chosen == null || database.getPriority() > chosen.getPriority())) {
                chosen = database;
            }
        }
        if (chosen == null) {
            throw new SQLException("Liquibase does not support this database: " + connection.getMetaData().getDatabaseProductName());
        }
        return chosen;
    }

    /** Something that needs the changelog's files, such as a checksum, run where Liquibase finds them. */
    void inScope(Scope.ScopedRunner<?> work) throws Exception {
        Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), resourceAccessor), work);
    }

    private List<ExpectedChangeSet> parse(Database database) throws Exception {
        return Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), resourceAccessor), () -> {
            ChangeLogParser parser = ChangeLogParserFactory.getInstance().getParser(file, resourceAccessor);
            DatabaseChangeLog changeLog = parser.parse(file, new ChangeLogParameters(database), resourceAccessor);
            List<ChangeSetFilter> filters = List.of(
                    new ContextChangeSetFilter(contexts.isBlank() ? new Contexts() : new Contexts(contexts)),
                    new LabelChangeSetFilter(labels.isBlank() ? new LabelExpression() : new LabelExpression(labels)),
                    new DbmsChangeSetFilter(database));
            List<ExpectedChangeSet> changeSets = new ArrayList<>();
            for (ChangeSet changeSet : changeLog.getChangeSets()) {
                if (filters.stream().allMatch(filter -> filter.accepts(changeSet).isAccepted())) {
                    changeSets.add(new ExpectedChangeSet(changeSet));
                }
            }
            return List.copyOf(changeSets);
        });
    }
}
