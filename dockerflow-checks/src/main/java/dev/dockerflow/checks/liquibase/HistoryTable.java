package dev.dockerflow.checks.liquibase;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import liquibase.GlobalConfiguration;

/**
 * Where Liquibase keeps its history, and how to read it without writing: the table is looked
 * up in the database's metadata, and only read when it is there.
 *
 * @param table the table's name, or empty for Liquibase's configured default ({@code DATABASECHANGELOG})
 * @param schema the schema holding it, or empty for Liquibase's configured one or else the connection's
 */
record HistoryTable(String table, String schema) {

    static final HistoryTable DEFAULT = new HistoryTable("", "");

    HistoryTable withTable(String table) {
        return new HistoryTable(table, schema);
    }

    HistoryTable withSchema(String schema) {
        return new HistoryTable(table, schema);
    }

    /** The history's rows, or an empty history when the table does not exist. */
    History read(Connection connection, int queryTimeoutSeconds) throws SQLException {
        Optional<String> qualified = find(connection);
        if (qualified.isEmpty()) {
            return History.EMPTY;
        }
        List<History.Row> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(queryTimeoutSeconds);
            try (ResultSet result = statement.executeQuery("SELECT ID, AUTHOR, FILENAME, EXECTYPE, MD5SUM FROM " + qualified.get())) {
                while (result.next()) {
                    rows.add(History.row(result.getString(3), result.getString(1), result.getString(2), result.getString(4),
                            result.getString(5)));
                }
            }
        }
        return new History(rows);
    }

    private Optional<String> find(Connection connection) throws SQLException {
        String wantedTable = table.isEmpty() ? configured(GlobalConfiguration.DATABASECHANGELOG_TABLE_NAME.getCurrentValue()) : table;
        String wantedSchema = schema.isEmpty() ? configured(GlobalConfiguration.LIQUIBASE_SCHEMA_NAME.getCurrentValue()) : schema;
        DatabaseMetaData metaData = connection.getMetaData();
        String catalog = connection.getCatalog();
        String inSchema = wantedSchema.isEmpty() ? connection.getSchema() : wantedSchema;
        if (!metaData.supportsSchemasInTableDefinitions()) {
            // MariaDB and MySQL: a "schema" is a database, which JDBC calls a catalog.
            catalog = wantedSchema.isEmpty() ? catalog : wantedSchema;
            inSchema = null;
        }
        // The name as given, then as the database folds unquoted names (Liquibase does not quote them).
        Set<List<String>> candidates = new LinkedHashSet<>();
        candidates.add(Arrays.asList(catalog, inSchema, wantedTable));
        candidates.add(Arrays.asList(catalog, fold(inSchema, metaData), fold(wantedTable, metaData)));
        if (!metaData.supportsSchemasInTableDefinitions()) {
            candidates.add(Arrays.asList(fold(catalog, metaData), inSchema, fold(wantedTable, metaData)));
        }
        String escape = metaData.getSearchStringEscape();
        String quote = metaData.getIdentifierQuoteString();
        for (List<String> candidate : candidates) {
            try (ResultSet tables = metaData.getTables(candidate.get(0), pattern(candidate.get(1), escape),
                    pattern(candidate.get(2), escape), null)) {
                while (tables.next()) {
                    String name = tables.getString("TABLE_NAME");
                    String tableSchema = tables.getString("TABLE_SCHEM");
                    String tableCatalog = tables.getString("TABLE_CAT");
                    if (name != null && name.equalsIgnoreCase(wantedTable)) {
                        return Optional.of(tableSchema != null
                                ? quote(tableSchema, quote) + "." + quote(name, quote)
                                : tableCatalog != null ? quote(tableCatalog, quote) + "." + quote(name, quote) : quote(name, quote));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String fold(String name, DatabaseMetaData metaData) throws SQLException {
        if (name == null) {
            return null;
        }
        if (metaData.storesUpperCaseIdentifiers()) {
            return name.toUpperCase(Locale.ROOT);
        }
        if (metaData.storesLowerCaseIdentifiers()) {
            return name.toLowerCase(Locale.ROOT);
        }
        return name;
    }

    /** A metadata search pattern that matches {@code name} only: its wildcards escaped. */
    private static String pattern(String name, String escape) {
        if (name == null || escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    private static String configured(String value) {
        return value == null ? "" : value.strip();
    }

    private static String quote(String identifier, String quote) {
        if (quote == null || quote.isBlank()) {
            return identifier;
        }
        String q = quote.strip();
        return q + identifier.replace(q, q + q) + q;
    }

    /** Whether {@code e} means the connection is gone, rather than a question the database refused. */
    static boolean isConnectionFailure(SQLException top) {
        for (Throwable t = top; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLNonTransientConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException e && e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** The messages of an exception and its causes, each once, on one line, with the first SQLState. */
    static String describe(SQLException top) {
        Set<String> parts = new LinkedHashSet<>();
        String state = null;
        for (Throwable t = top; t != null && parts.size() < 3; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            String part = message == null || message.isBlank()
                    ? t.getClass().getSimpleName() : message.strip().replaceAll("\\s*\\R\\s*", " ");
            if (part.length() > 300) {
                part = part.substring(0, 300) + "...";
            }
            String candidate = part;
            if (parts.stream().noneMatch(p -> p.contains(candidate))) {
                parts.add(part);
            }
            if (state == null && t instanceof SQLException e) {
                state = e.getSQLState();
            }
        }
        String text = String.join(": ", parts);
        return state == null ? text : text + " (SQLState " + state + ")";
    }
}
