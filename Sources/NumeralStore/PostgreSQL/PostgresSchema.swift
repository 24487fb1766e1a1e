/// The log's schema on PostgreSQL: the same tables and columns as on SQLite (`StoreSchema`),
/// in PostgreSQL's types, applied as versioned migrations recorded in `numeral_migrations`.
/// Released versions are never edited. Several processes starting together apply them once:
/// `PostgresPredictionLog.migrate` holds an advisory lock while it does.
enum PostgresSchema {
    /// pg_advisory_lock key of the migrations: "numeral!" in ASCII.
    static let migrationLock: Int64 = 0x6E75_6D65_7261_6C21

    static let versions: [(id: String, sql: [String])] = [
        ("pg-v6-log", [
            """
            CREATE TABLE predictions (
                id BIGSERIAL PRIMARY KEY,
                timestamp TIMESTAMPTZ NOT NULL,
                input_type TEXT NOT NULL,
                digit_predicted TEXT NOT NULL,
                confidence DOUBLE PRECISION NOT NULL,
                digit_actual TEXT,
                top3 TEXT NOT NULL DEFAULT '[]',
                model_version TEXT NOT NULL DEFAULT 'unknown',
                latency_ms DOUBLE PRECISION,
                input BYTEA,
                drawing TEXT,
                uid TEXT UNIQUE,
                device TEXT,
                client TEXT
            )
            """,
            "CREATE INDEX predictions_by_timestamp ON predictions(timestamp)",
            "CREATE INDEX predictions_by_device ON predictions(device, timestamp)",
            """
            CREATE TABLE models (
                id TEXT PRIMARY KEY,
                created TIMESTAMPTZ NOT NULL,
                path TEXT NOT NULL,
                parent_id TEXT,
                metrics TEXT NOT NULL DEFAULT '{}',
                is_active BOOLEAN NOT NULL DEFAULT false
            )
            """,
            "CREATE UNIQUE INDEX models_single_active ON models(is_active) WHERE is_active",
            // The change token: a sequence bumped by every statement that changes predictions
            // or models. Not a counter row, so writers never queue on one row's lock.
            "CREATE SEQUENCE log_revision",
            """
            CREATE FUNCTION numeral_bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM nextval('log_revision'); RETURN NULL; END $$
            """,
            """
            CREATE TRIGGER predictions_bump_revision AFTER INSERT OR UPDATE OR DELETE ON predictions
            FOR EACH STATEMENT EXECUTE FUNCTION numeral_bump_revision()
            """,
            """
            CREATE TRIGGER models_bump_revision AFTER INSERT OR UPDATE OR DELETE ON models
            FOR EACH STATEMENT EXECUTE FUNCTION numeral_bump_revision()
            """,
        ]),
        ("pg-v7-analytics-indexes", [
            "CREATE INDEX predictions_by_confidence ON predictions(confidence)",
            "CREATE INDEX predictions_by_latency ON predictions(latency_ms)",
        ]),
        // A fleet shares model versions through the log: the weights and the card travel with
        // the registration, so every machine can load a version another one made active.
        ("pg-v8-model-files", [
            "CREATE TABLE model_files (id TEXT PRIMARY KEY REFERENCES models(id), weights BYTEA NOT NULL, card TEXT NOT NULL)",
        ]),
        // Analytics whose cost does not grow with the log: roll-up tables kept by a trigger in
        // each write's transaction, back-filled here once (`RollupSchema`).
        ("pg-v9-rollups", RollupSchema.statements(for: .postgres)),
    ]
}
